package dev.distlock.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import dev.distlock.core.LockStoreException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.datasource.init.DatabasePopulatorUtils;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * The lock table's DDL, shipped as {@code dev/distlock/jdbc/schema-postgresql.sql},
 * {@code schema-mysql.sql} (MySQL and MariaDB) and {@code schema-h2.sql}, and the check
 * that a table fits it. The scripts create a table named {@value #DEFAULT_TABLE_NAME} if
 * it does not exist; they can be copied into an application's own migrations as they are,
 * and the same DDL ships as a Flyway migration
 * ({@code dev/distlock/jdbc/flyway/<platform>/}) and a Liquibase changelog
 * ({@code dev/distlock/jdbc/liquibase/changelog.xml}).
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
	 * The columns the store reads and writes, in the order of the DDL.
	 */
	public static final List<String> COLUMNS = List.of("lock_id", "lock_namespace", "lock_key", "owner",
			"fencing_token", "acquired_at", "expires_at");

	/**
	 * A table name is an SQL identifier, optionally qualified by a schema: it is written
	 * into SQL text, so nothing else is accepted.
	 */
	private static final Pattern TABLE_NAME = Pattern
		.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

	private static final Pattern DEFAULT_NAME_IN_SCRIPT = Pattern.compile("\\b" + DEFAULT_TABLE_NAME + "\\b");

	/**
	 * Credentials a JDBC URL may carry: {@code user:password@} before the host, and
	 * {@code user}/{@code password} parameters after {@code ?}, {@code &} or {@code ;}.
	 */
	private static final Pattern URL_USER_INFO = Pattern.compile("(//)[^/@?;]*@");

	private static final Pattern URL_CREDENTIAL_PARAMETER = Pattern
		.compile("(?i)([?&;])(user|username|password|pwd)=[^&;]*");

	/**
	 * Classifies the check's failure: only the failure path pays for it, once.
	 */
	private static final SQLExceptionTranslator TRANSLATOR = new SQLExceptionSubclassTranslator();

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
	 * Return the platform of the database behind a connection, the name its DDL script
	 * and its statements are filed under: {@code postgresql}, {@code mysql} (MySQL and
	 * MariaDB) or {@code h2}. The store detects its database the same way.
	 * @param connection a connection to the database
	 * @return the platform
	 * @throws SQLException if the database's metadata cannot be read
	 * @throws LockStoreException if the store has no SQL for that database
	 */
	public static String platform(Connection connection) throws SQLException {
		return JdbcLockDialect.of(connection).platform();
	}

	/**
	 * Create the lock table if it does not exist, with the script for the database behind
	 * the data source, run by Spring's {@link ResourceDatabasePopulator}. Applications
	 * normally let {@code distributed-lock.jdbc.initialize-schema} or their own
	 * migrations do this.
	 * @param dataSource the data source
	 * @param tableName the table name
	 * @throws LockStoreException if the database is not supported or the DDL failed
	 */
	public static void createTable(DataSource dataSource, String tableName) {
		validateTableName(tableName);
		try {
			String platform;
			try (Connection connection = dataSource.getConnection()) {
				platform = platform(connection);
			}
			String script = withTableName(resource("schema-" + platform + ".sql"), tableName);
			ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
					new ByteArrayResource(script.getBytes(StandardCharsets.UTF_8), "schema-" + platform + ".sql"));
			populator.setSqlScriptEncoding(StandardCharsets.UTF_8.name());
			DatabasePopulatorUtils.execute(populator, dataSource);
		}
		catch (SQLException | DataAccessException ex) {
			throw new LockStoreException("Failed to create lock table '" + tableName + "'", ex);
		}
	}

	/**
	 * Check that the lock table exists with the {@link #COLUMNS columns} the store uses,
	 * by reading them from no row ({@code SELECT} the columns {@code FROM} the table
	 * {@code WHERE 1 = 0}).
	 * @param dataSource the data source
	 * @param tableName the table name
	 * @param createTableStatement the DDL to report for a platform ({@code null} for a
	 * database the store has no SQL for), should the table be missing or wrong; it
	 * returns {@code null} if it has none
	 * @throws InvalidLockTableException if the table is missing, cannot be read, or lacks
	 * a column
	 * @throws LockStoreException if the database could not be reached or did not answer
	 * in time, so the table could not be checked
	 */
	public static void verifyTable(DataSource dataSource, String tableName,
			Function<@Nullable String, @Nullable String> createTableStatement) {
		validateTableName(tableName);
		try (Connection connection = dataSource.getConnection()) {
			try (Statement statement = connection.createStatement()) {
				statement.executeQuery("SELECT " + String.join(", ", COLUMNS) + " FROM " + tableName + " WHERE 1 = 0")
					.close();
				return;
			}
			catch (SQLException ex) {
				if (isUnreachable(ex)) {
					throw ex;
				}
				if (!connection.getAutoCommit()) {
					// PostgreSQL refuses further statements in a failed transaction.
					connection.rollback();
				}
				DatabaseMetaData metaData = connection.getMetaData();
				String product = metaData.getDatabaseProductName();
				JdbcLockDialect dialect = JdbcLockDialect.forProductName(product);
				String platform = (dialect != null) ? dialect.platform() : null;
				throw new InvalidLockTableException(tableName, product, withoutCredentials(metaData.getURL()), platform,
						missingColumns(connection, tableName), createTableStatement.apply(platform), ex);
			}
		}
		catch (SQLException ex) {
			throw new LockStoreException("Could not check lock table '" + tableName
					+ "': its database did not answer (SQLState " + ex.getSQLState() + "): " + ex.getMessage(), ex);
		}
	}

	/*
	 * Whether an exception means the database could not be reached or did not answer in
	 * time, as opposed to refusing the statement.
	 */
	private static boolean isUnreachable(SQLException ex) {
		DataAccessException translated = TRANSLATOR.translate("check lock table", null, ex);
		return translated instanceof TransientDataAccessException
				|| translated instanceof DataAccessResourceFailureException
				|| translated instanceof RecoverableDataAccessException;
	}

	/*
	 * Return the columns of {@link #COLUMNS} that the table lacks, or {@code null} if the
	 * table itself cannot be read.
	 */
	private static @Nullable List<String> missingColumns(Connection connection, String tableName) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT * FROM " + tableName + " WHERE 1 = 0")) {
			ResultSetMetaData metaData = result.getMetaData();
			List<String> present = new ArrayList<>();
			for (int i = 1; i <= metaData.getColumnCount(); i++) {
				present.add(metaData.getColumnName(i).toLowerCase(Locale.ROOT));
			}
			List<String> missing = new ArrayList<>(COLUMNS);
			missing.removeAll(present);
			return missing;
		}
		catch (SQLException ex) {
			if (!connection.getAutoCommit()) {
				connection.rollback();
			}
			return null;
		}
	}

	/**
	 * Return a JDBC URL without the user name and password it may carry.
	 * @param url the URL
	 * @return the URL without credentials
	 */
	static String withoutCredentials(@Nullable String url) {
		if (url == null) {
			return "(unknown URL)";
		}
		String withoutUserInfo = URL_USER_INFO.matcher(url).replaceFirst("$1");
		String withoutParameters = URL_CREDENTIAL_PARAMETER.matcher(withoutUserInfo).replaceAll("$1");
		return withoutParameters.replaceAll("[?&;]+$", "")
			.replace("?&", "?")
			.replaceAll("&&+", "&")
			.replaceAll(";;+", ";");
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
