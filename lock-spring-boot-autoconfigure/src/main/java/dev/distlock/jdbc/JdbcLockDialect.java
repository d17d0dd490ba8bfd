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

	POSTGRESQL("postgresql"),

	/**
	 * MySQL and MariaDB, which share their SQL here.
	 */
	MYSQL("mysql"),

	H2("h2");

	private final String platform;

	JdbcLockDialect(String platform) {
		this.platform = platform;
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
				+ ": it supports PostgreSQL, MySQL, MariaDB and H2. Use another lock store or supply a LockRegistry bean.",
				null);
	}

}
