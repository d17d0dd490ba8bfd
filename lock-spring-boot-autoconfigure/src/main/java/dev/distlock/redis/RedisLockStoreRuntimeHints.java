package dev.distlock.redis;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} for the {@link RedisLockStore}: its Lua scripts, read by
 * name from the class path beside it.
 *
 * @author Distributed Lock team
 */
public final class RedisLockStoreRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * Create the registrar.
	 */
	public RedisLockStoreRuntimeHints() {
	}

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern("dev/distlock/redis/*.lua");
	}

}
