package dev.distlock.autoconfigure;

import java.util.Locale;

import dev.distlock.jdbc.TestDatabases;
import org.junit.jupiter.api.Tag;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The JDBC lock store's first run on MariaDB (the machine's when
 * {@value TestDatabases#MARIADB_URL} is set, else an embedded server), in a database of
 * each test's own.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class JdbcLockTableStartupMariaDbTests extends AbstractJdbcLockTableStartupTests {

	private String database;

	@Override
	protected String createEmptySchema() {
		this.database = TestDatabases.uniqueTableName()
			.replace("distributed_lock_", "distlock_")
			.toLowerCase(Locale.ROOT);
		String url = TestDatabases.mariaDbUrl();
		TestDatabases.execute(new DriverManagerDataSource(url), "CREATE DATABASE " + this.database);
		int query = url.indexOf('?');
		int path = url.lastIndexOf('/', (query >= 0) ? query : url.length());
		return url.substring(0, path + 1) + this.database + ((query >= 0) ? url.substring(query) : "");
	}

	@Override
	protected void dropSchema() {
		TestDatabases.execute(new DriverManagerDataSource(TestDatabases.mariaDbUrl()),
				"DROP DATABASE " + this.database);
	}

	@Override
	protected String platform() {
		return "mysql";
	}

	@Override
	protected String productName() {
		return "MariaDB";
	}

	@Override
	protected String typeOnlyThisDatabaseHas() {
		return "lock_key MEDIUMTEXT NOT NULL";
	}

}
