package dev.distlock.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import dev.distlock.core.LockStoreException;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.support.JdbcUtils;

/**
 * The databases the JDBC lock store has SQL for, named after their resource folder and
 * schema script.
 *
 * @author Distributed Lock team
 */
enum JdbcLockDialect {

	POSTGRESQL("postgresql", "PostgreSQL", Integer.MAX_VALUE, Integer.MAX_VALUE),

	/**
	 * MySQL and MariaDB, which share their SQL here. {@code lock_namespace} is a
	 * {@code VARCHAR(1000)} and {@code lock_key} a {@code MEDIUMTEXT}, counted here in
	 * characters of up to four bytes.
	 */
	MYSQL("mysql", "MySQL/MariaDB", 1000, (16 * 1024 * 1024 - 1) / 4),

	/**
	 * H2, held here to a million characters, well within its {@code CHARACTER VARYING}.
	 */
	H2("h2", "H2", 1_000_000, 1_000_000);

	private final String platform;

	private final String displayName;

	private final int maxNamespaceLength;

	private final int maxKeyLength;

	JdbcLockDialect(String platform, String displayName, int maxNamespaceLength, int maxKeyLength) {
		this.platform = platform;
		this.displayName = displayName;
		this.maxNamespaceLength = maxNamespaceLength;
		this.maxKeyLength = maxKeyLength;
	}

	String displayName() {
		return this.displayName;
	}

	int maxNamespaceLength() {
		return this.maxNamespaceLength;
	}

	int maxKeyLength() {
		return this.maxKeyLength;
	}

	/**
	 * Return the name used in resource paths, such as {@code schema-postgresql.sql}.
	 * @return the platform name
	 */
	String platform() {
		return this.platform;
	}

	static JdbcLockDialect of(Connection connection) throws SQLException {
		String product = connection.getMetaData().getDatabaseProductName();
		JdbcLockDialect dialect = forProductName(product);
		if (dialect == null) {
			throw new LockStoreException("The JDBC lock store does not support " + product
					+ ": it supports PostgreSQL, MySQL, MariaDB and H2. Use another lock store or supply a LockStore bean.",
					null);
		}
		return dialect;
	}

	/**
	 * Return the dialect of a database, named as JDBC's
	 * {@link java.sql.DatabaseMetaData#getDatabaseProductName()} names it, after Spring's
	 * {@link JdbcUtils#commonDatabaseName} folded its variants. MySQL and MariaDB share
	 * their SQL here. The store and the schema initializer both detect a database this
	 * way, so they never disagree on it.
	 * @param productName the database product name
	 * @return the dialect, or {@code null} if the store has no SQL for that database
	 */
	static @Nullable JdbcLockDialect forProductName(@Nullable String productName) {
		String name = JdbcUtils.commonDatabaseName(productName);
		if (name == null) {
			return null;
		}
		return switch (name) {
			case "PostgreSQL" -> POSTGRESQL;
			case "MySQL", "MariaDB" -> MYSQL;
			case "H2" -> H2;
			default -> null;
		};
	}

}
