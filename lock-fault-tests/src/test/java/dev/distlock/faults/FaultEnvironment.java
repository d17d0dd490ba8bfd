package dev.distlock.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import dev.distlock.faults.servers.PrivateMariaDb;
import dev.distlock.faults.servers.PrivatePostgres;

/**
 * What every scenario shares: the private PostgreSQL that keeps the fenced ledger (and
 * serves as the PostgreSQL lock store), the directory of the exclusive markers, and the
 * Spring Boot properties that point a {@link NodeProcess} at a store.
 *
 * @author Distributed Lock team
 */
final class FaultEnvironment {

	private static PrivatePostgres postgres;

	private static Path markers;

	private FaultEnvironment() {
	}

	/**
	 * Return the shared private PostgreSQL, started on first use; skips the calling test
	 * if it cannot start here.
	 * @return the server
	 */
	static synchronized PrivatePostgres postgres() {
		if (postgres == null) {
			PrivatePostgres started = PrivatePostgres.start();
			Runtime.getRuntime().addShutdownHook(new Thread(started::close, "fault-postgres-shutdown"));
			postgres = started;
			execute("CREATE TABLE IF NOT EXISTS fault_ledger (lock_key VARCHAR(200) PRIMARY KEY, "
					+ "token BIGINT NOT NULL, writer VARCHAR(200) NOT NULL, writes INT NOT NULL DEFAULT 1)");
		}
		return postgres;
	}

	/**
	 * Return the JDBC URL of the fenced ledger (never through a proxy).
	 * @return the URL
	 */
	static String ledgerUrl() {
		return postgres().jdbcUrl();
	}

	/**
	 * Return the last token the ledger accepted for a key.
	 * @param key the key
	 * @return the token, or -1 if none
	 */
	static long ledgerToken(String key) {
		try (Connection connection = DriverManager.getConnection(ledgerUrl());
				PreparedStatement statement = connection
					.prepareStatement("SELECT token FROM fault_ledger WHERE lock_key = ?")) {
			statement.setString(1, key);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() ? result.getLong(1) : -1;
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static synchronized Path markers() {
		if (markers == null) {
			try {
				markers = Files.createTempDirectory("fault-markers-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return markers;
	}

	/**
	 * Properties of a node on the Redis store.
	 * @param port the port of the server or of a proxy in front of it
	 * @return the properties
	 */
	static Map<String, String> redisNode(int port) {
		Map<String, String> properties = common();
		properties.put("distributed-lock.store", "redis");
		properties.put("spring.data.redis.host", "127.0.0.1");
		properties.put("spring.data.redis.port", Integer.toString(port));
		properties.put("spring.data.redis.timeout", "1s");
		properties.put("spring.data.redis.connect-timeout", "1s");
		properties.put("distributed-lock.redis.timeout", "1s");
		properties.put("spring.autoconfigure.exclude",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
		return properties;
	}

	/**
	 * Properties of a node on the JDBC store.
	 * @param url the JDBC URL, of the server or of a proxy in front of it
	 * @return the properties
	 */
	static Map<String, String> jdbcNode(String url) {
		Map<String, String> properties = common();
		properties.put("distributed-lock.store", "jdbc");
		properties.put("spring.datasource.url", url);
		properties.put("spring.datasource.hikari.connection-timeout", "1000");
		properties.put("spring.datasource.hikari.validation-timeout", "500");
		properties.put("distributed-lock.jdbc.timeout", "1s");
		properties.put("distributed-lock.jdbc.initialize-schema", "always");
		properties.put("spring.autoconfigure.exclude",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration");
		return properties;
	}

	/**
	 * Properties of a node on the private PostgreSQL.
	 * @param port the port of the server or of a proxy in front of it
	 * @return the properties
	 */
	static Map<String, String> postgresNode(int port) {
		return jdbcNode(PrivatePostgres.jdbcUrl(port));
	}

	/**
	 * Properties of a node on a private MariaDB.
	 * @param port the port of the server or of a proxy in front of it
	 * @return the properties
	 */
	static Map<String, String> mariaDbNode(int port) {
		return jdbcNode(PrivateMariaDb.jdbcUrl(port));
	}

	private static Map<String, String> common() {
		Map<String, String> properties = new HashMap<>();
		properties.put("faults.marker-dir", markers().toString());
		properties.put("faults.ledger-url", ledgerUrl());
		return properties;
	}

	private static void execute(String sql) {
		try (Connection connection = DriverManager.getConnection(ledgerUrl());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Failed to run " + sql, ex);
		}
	}

}
