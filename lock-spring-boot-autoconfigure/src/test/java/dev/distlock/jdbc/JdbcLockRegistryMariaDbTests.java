package dev.distlock.jdbc;

/**
 * The lock contract and the JDBC store's own behaviour on MariaDB at its default
 * REPEATABLE READ isolation: the machine's when {@value TestDatabases#MARIADB_URL} is
 * set, else an embedded server.
 *
 * @author Distributed Lock team
 */
class JdbcLockRegistryMariaDbTests extends AbstractJdbcLockRegistryTests {

	@Override
	protected String jdbcUrl() {
		return TestDatabases.mariaDbUrl();
	}

}
