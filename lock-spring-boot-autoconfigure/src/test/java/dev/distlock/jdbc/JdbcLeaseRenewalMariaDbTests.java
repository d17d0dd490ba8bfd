package dev.distlock.jdbc;

import org.junit.jupiter.api.Tag;

/**
 * Renewals in batches on MariaDB: the machine's when {@value TestDatabases#MARIADB_URL}
 * is set, else an embedded server.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class JdbcLeaseRenewalMariaDbTests extends AbstractJdbcLeaseRenewalTests {

	@Override
	protected String jdbcUrl() {
		return TestDatabases.mariaDbUrl();
	}

}
