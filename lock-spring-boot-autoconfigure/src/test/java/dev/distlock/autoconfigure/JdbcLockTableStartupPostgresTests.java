package dev.distlock.autoconfigure;

import java.util.Locale;

import dev.distlock.jdbc.TestDatabases;
import org.junit.jupiter.api.Tag;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The JDBC lock store's first run on PostgreSQL (the machine's when
 * {@value TestDatabases#POSTGRES_URL} is set, else an embedded server), in a schema of
 * each test's own.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class JdbcLockTableStartupPostgresTests extends AbstractJdbcLockTableStartupTests {

	private String schema;

	@Override
	protected String createEmptySchema() {
		this.schema = TestDatabases.uniqueTableName()
			.replace("distributed_lock_", "distlock_")
			.toLowerCase(Locale.ROOT);
		String url = TestDatabases.postgresUrl();
		TestDatabases.execute(new DriverManagerDataSource(url), "CREATE SCHEMA " + this.schema);
		return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + this.schema;
	}

	@Override
	protected void dropSchema() {
		TestDatabases.execute(new DriverManagerDataSource(TestDatabases.postgresUrl()),
				"DROP SCHEMA " + this.schema + " CASCADE");
	}

	@Override
	protected String platform() {
		return "postgresql";
	}

	@Override
	protected String productName() {
		return "PostgreSQL";
	}

	@Override
	protected String typeOnlyThisDatabaseHas() {
		return "lock_namespace TEXT NOT NULL";
	}

}
