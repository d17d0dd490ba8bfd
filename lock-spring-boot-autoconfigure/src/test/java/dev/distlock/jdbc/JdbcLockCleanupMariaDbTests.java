package dev.distlock.jdbc;

import org.junit.jupiter.api.Tag;

/**
 * Housekeeping of the JDBC lock table on MariaDB: the machine's when
 * {@value TestDatabases#MARIADB_URL} is set, else an embedded server.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class JdbcLockCleanupMariaDbTests extends AbstractJdbcLockCleanupTests {

	@Override
	protected String jdbcUrl() {
		return TestDatabases.mariaDbUrl();
	}

}
