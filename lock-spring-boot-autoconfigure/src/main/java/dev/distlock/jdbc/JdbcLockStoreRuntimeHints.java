package dev.distlock.jdbc;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} for the {@link JdbcLockStore}: the schema of each
 * database, its Flyway migration and Liquibase changelog, and the statements of each
 * dialect, read by name from the class path.
 *
 * @author Distributed Lock team
 */
public final class JdbcLockStoreRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * Create the registrar.
	 */
	public JdbcLockStoreRuntimeHints() {
	}

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources()
			.registerPattern("dev/distlock/jdbc/*.sql")
			.registerPattern("dev/distlock/jdbc/*/*.sql")
			.registerPattern("dev/distlock/jdbc/flyway/*/*.sql")
			.registerPattern("dev/distlock/jdbc/liquibase/*.xml");
	}

}
