package dev.distlock.jdbc;

import org.junit.jupiter.api.Tag;

/**
 * Housekeeping of the JDBC lock table on PostgreSQL: the machine's when
 * {@value TestDatabases#POSTGRES_URL} is set, else an embedded server.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class JdbcLockCleanupPostgresTests extends AbstractJdbcLockCleanupTests {

	@Override
	protected String jdbcUrl() {
		return TestDatabases.postgresUrl();
	}

}
