package dev.distlock.jdbc;

import org.junit.jupiter.api.Tag;

/**
 * Renewals in batches on PostgreSQL: the machine's when
 * {@value TestDatabases#POSTGRES_URL} is set, else an embedded server.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class JdbcLeaseRenewalPostgresTests extends AbstractJdbcLeaseRenewalTests {

	@Override
	protected String jdbcUrl() {
		return TestDatabases.postgresUrl();
	}

}
