package dev.distlock.jdbc;

import java.io.Serial;
import java.util.List;

import dev.distlock.core.LockStoreException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown at startup when the JDBC lock store's table is missing, cannot be read, or lacks
 * a column the store uses. It carries what an operator needs to fix it: the table, the
 * database, and the {@code CREATE TABLE} for that database.
 *
 * @author Distributed Lock team
 * @see JdbcLockSchema#verifyTable
 */
public class InvalidLockTableException extends LockStoreException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String tableName;

	private final @Nullable String databaseProductName;

	private final String databaseUrl;

	private final @Nullable String platform;

	private final transient @Nullable List<String> missingColumns;

	private final @Nullable String createTableStatement;

	/**
	 * Create an exception.
	 * @param tableName the lock table's name
	 * @param databaseProductName the database's product name, as its driver reports it
	 * @param databaseUrl the database's JDBC URL, without credentials
	 * @param platform the database's platform, as {@link JdbcLockSchema#platform} names
	 * it, or {@code null} if the store has no SQL for it
	 * @param missingColumns the columns the table lacks, or {@code null} if the table
	 * itself cannot be read (it does not exist, or is not accessible)
	 * @param createTableStatement the DDL of the lock table for that database, or
	 * {@code null} if there is none
	 * @param cause the database's answer to the check
	 */
	public InvalidLockTableException(String tableName, @Nullable String databaseProductName, String databaseUrl,
			@Nullable String platform, @Nullable List<String> missingColumns, @Nullable String createTableStatement,
			Throwable cause) {
		super(message(tableName, databaseProductName, databaseUrl, missingColumns, cause), cause);
		this.tableName = tableName;
		this.databaseProductName = databaseProductName;
		this.databaseUrl = databaseUrl;
		this.platform = platform;
		this.missingColumns = (missingColumns != null) ? List.copyOf(missingColumns) : null;
		this.createTableStatement = createTableStatement;
	}

	private static String message(String tableName, @Nullable String databaseProductName, String databaseUrl,
			@Nullable List<String> missingColumns, Throwable cause) {
		String database = databaseProductName + " database " + databaseUrl;
		if (missingColumns == null) {
			return "Lock table '" + tableName + "' does not exist or cannot be read in " + database + ": "
					+ cause.getMessage();
		}
		return "Lock table '" + tableName + "' in " + database + " lacks the columns " + missingColumns;
	}

	/**
	 * Return the lock table's name.
	 * @return the table name
	 */
	public String getTableName() {
		return this.tableName;
	}

	/**
	 * Return the database's product name, as its driver reports it.
	 * @return the product name, such as {@code PostgreSQL}
	 */
	public @Nullable String getDatabaseProductName() {
		return this.databaseProductName;
	}

	/**
	 * Return the database's JDBC URL, without credentials.
	 * @return the URL
	 */
	public String getDatabaseUrl() {
		return this.databaseUrl;
	}

	/**
	 * Return the database's platform, as {@link JdbcLockSchema#platform} names it.
	 * @return the platform, such as {@code postgresql}, or {@code null} if the store has
	 * no SQL for this database
	 */
	public @Nullable String getPlatform() {
		return this.platform;
	}

	/**
	 * Return the columns the table lacks.
	 * @return the missing columns, or {@code null} if the table itself cannot be read
	 */
	public @Nullable List<String> getMissingColumns() {
		return this.missingColumns;
	}

	/**
	 * Return the {@code CREATE TABLE} of the lock table for this database, with the
	 * configured table name.
	 * @return the DDL, or {@code null} if there is none for this database
	 */
	public @Nullable String getCreateTableStatement() {
		return this.createTableStatement;
	}

}
