package dev.distlock.jdbc;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * {@link RuntimeHintsRegistrar} for the {@link JdbcLockStore}: the schema of each
 * database, its Flyway migration and Liquibase changelog, and the statements of each
 * dialect, read by name from the class path; with pgjdbc present, the two driver fields
 * that the PostgreSQL listener sets on its connection so that notifications reach it
 * without pgjdbc's 1 ms look-ahead.
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
		if (ClassUtils.isPresent(PgjdbcNotificationLatency.STREAM_CLASS, classLoader)) {
			hints.reflection()
				.registerType(TypeReference.of(PgjdbcNotificationLatency.EXECUTOR_CLASS),
						(type) -> type.withField(PgjdbcNotificationLatency.STREAM_FIELD))
				.registerType(TypeReference.of(PgjdbcNotificationLatency.STREAM_CLASS),
						(type) -> type.withField(PgjdbcNotificationLatency.CHECK_TIME_FIELD));
		}
	}

}
