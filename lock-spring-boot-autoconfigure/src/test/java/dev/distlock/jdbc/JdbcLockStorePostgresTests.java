package dev.distlock.jdbc;

import org.junit.jupiter.api.Tag;

/**
 * The lock contract and the JDBC store's own behaviour on PostgreSQL: the machine's when
 * {@value TestDatabases#POSTGRES_URL} is set, else an embedded server.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class JdbcLockStorePostgresTests extends AbstractJdbcLockStoreTests {

	@Override
	protected String jdbcUrl() {
		return TestDatabases.postgresUrl();
	}

}
