package dev.distlock.autoconfigure;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which configuration class configures which {@link LockStoreType}, for
 * {@link LockStoreCondition}. {@link DistributedLockAutoConfiguration} imports them in
 * the order that {@code distributed-lock.store=auto} tries them: Redis, then JDBC, then
 * in-memory.
 *
 * @author Distributed Lock team
 */
final class LockStoreConfigurations {

	private static final Map<LockStoreType, String> MAPPINGS;

	static {
		Map<LockStoreType, String> mappings = new EnumMap<>(LockStoreType.class);
		mappings.put(LockStoreType.REDIS, RedisLockStoreConfiguration.class.getName());
		mappings.put(LockStoreType.JDBC, JdbcLockStoreConfiguration.class.getName());
		mappings.put(LockStoreType.IN_MEMORY, InMemoryLockStoreConfiguration.class.getName());
		MAPPINGS = Collections.unmodifiableMap(mappings);
	}

	private LockStoreConfigurations() {
	}

	static LockStoreType getType(String configurationClassName) {
		for (Map.Entry<LockStoreType, String> entry : MAPPINGS.entrySet()) {
			if (entry.getValue().equals(configurationClassName)) {
				return entry.getKey();
			}
		}
		throw new IllegalStateException("Unknown lock store configuration " + configurationClassName);
	}

}
