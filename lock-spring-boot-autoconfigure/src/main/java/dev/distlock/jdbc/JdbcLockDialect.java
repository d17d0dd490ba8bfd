package dev.distlock.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import dev.distlock.core.LockStoreException;

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
		String name = (product != null) ? product.toLowerCase(Locale.ROOT) : "";
		if (name.contains("postgresql")) {
			return POSTGRESQL;
		}
		if (name.contains("mysql") || name.contains("mariadb")) {
			return MYSQL;
		}
		if (name.equals("h2")) {
			return H2;
		}
		throw new LockStoreException("The JDBC lock store does not support " + product
				+ ": it supports PostgreSQL, MySQL, MariaDB and H2. Use another lock store or supply a LockStore bean.",
				null);
	}

}
