package dev.distlock.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import dev.distlock.core.LockStoreException;

/**
 * The lock table's DDL, shipped as {@code dev/distlock/jdbc/schema-postgresql.sql},
 * {@code schema-mysql.sql} (MySQL and MariaDB) and {@code schema-h2.sql}. The scripts
 * create a table named {@value #DEFAULT_TABLE_NAME} if it does not exist; they can be
 * copied into an application's own migrations as they are.
 *
 * @author Distributed Lock team
 */
public final class JdbcLockSchema {

	/**
	 * The default name of the lock table, and the name the DDL scripts use.
	 */
	public static final String DEFAULT_TABLE_NAME = "distributed_lock";

	/**
	 * Location of the DDL scripts with Spring Boot's {@code @@platform@@} placeholder
	 * ({@code postgresql}, {@code mysql} or {@code h2}).
	 */
	public static final String SCHEMA_LOCATION = "classpath:dev/distlock/jdbc/schema-@@platform@@.sql";

	/**
	 * A table name is an SQL identifier, optionally qualified by a schema: it is written
	 * into SQL text, so nothing else is accepted.
	 */
	private static final Pattern TABLE_NAME = Pattern
		.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

	private static final Pattern DEFAULT_NAME_IN_SCRIPT = Pattern.compile("\\b" + DEFAULT_TABLE_NAME + "\\b");

	private JdbcLockSchema() {
	}

	/**
	 * Check that a table name is a plain SQL identifier, optionally qualified by a schema
	 * ({@code locks.distributed_lock}).
	 * @param tableName the table name
	 * @return the table name
	 * @throws IllegalArgumentException if it is not
	 */
	public static String validateTableName(String tableName) {
		if (tableName == null || !TABLE_NAME.matcher(tableName).matches()) {
			throw new IllegalArgumentException("Invalid lock table name '" + tableName
					+ "': use letters, digits and underscores, optionally qualified by a schema (schema.table)");
		}
		return tableName;
	}

	/**
	 * Rewrite a DDL script for another table name.
	 * @param script the script, as shipped
	 * @param tableName the table name to use instead of {@value #DEFAULT_TABLE_NAME}
	 * @return the script for that table
	 */
	public static String withTableName(String script, String tableName) {
		return DEFAULT_NAME_IN_SCRIPT.matcher(script)
			.replaceAll(Matcher.quoteReplacement(validateTableName(tableName)));
	}

	/**
	 * Create the lock table if it does not exist, with the script for the database behind
	 * the data source. Applications normally let
	 * {@code distributed-lock.jdbc.initialize-schema} or their own migrations do this.
	 * @param dataSource the data source
	 * @param tableName the table name
	 * @throws LockStoreException if the database is not supported or the DDL failed
	 */
	public static void createTable(DataSource dataSource, String tableName) {
		validateTableName(tableName);
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			JdbcLockDialect dialect = JdbcLockDialect.of(connection);
			String script = withTableName(script(dialect), tableName);
			for (String sql : script.split(";")) {
				String stripped = stripComments(sql);
				if (!stripped.isBlank()) {
					statement.execute(stripped);
				}
			}
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
		}
		catch (SQLException ex) {
			throw new LockStoreException("Failed to create lock table '" + tableName + "'", ex);
		}
	}

	static String script(JdbcLockDialect dialect) {
		return resource("schema-" + dialect.platform() + ".sql");
	}

	static String resource(String name) {
		try (InputStream in = JdbcLockSchema.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("Missing resource dev/distlock/jdbc/" + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Failed to read dev/distlock/jdbc/" + name, ex);
		}
	}

	static String stripComments(String sql) {
		StringBuilder builder = new StringBuilder();
		for (String line : sql.split("\n")) {
			if (!line.strip().startsWith("--")) {
				builder.append(line).append('\n');
			}
		}
		return builder.toString().strip();
	}

}
