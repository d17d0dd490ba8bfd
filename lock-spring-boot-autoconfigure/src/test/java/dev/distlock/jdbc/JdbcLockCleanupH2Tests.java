package dev.distlock.jdbc;

/**
 * Housekeeping of the JDBC lock table on H2 in memory.
 *
 * @author Distributed Lock team
 */
class JdbcLockCleanupH2Tests extends AbstractJdbcLockCleanupTests {

	@Override
	protected String jdbcUrl() {
		return TestDatabases.h2Url();
	}

}
