package dev.distlock.jdbc;

/**
 * The lock contract and the JDBC store's own behaviour on H2 in memory.
 *
 * @author Distributed Lock team
 */
class JdbcLockStoreH2Tests extends AbstractJdbcLockStoreTests {

	@Override
	protected String jdbcUrl() {
		return TestDatabases.h2Url();
	}

}
