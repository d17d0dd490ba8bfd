package dev.distlock.jdbc;

/**
 * The lock contract and the JDBC store's own behaviour on PostgreSQL: the machine's when
 * {@value TestDatabases#POSTGRES_URL} is set, else an embedded server.
 *
 * @author Distributed Lock team
 */
class JdbcLockStorePostgresTests extends AbstractJdbcLockStoreTests {

	@Override
	protected String jdbcUrl() {
		return TestDatabases.postgresUrl();
	}

}
