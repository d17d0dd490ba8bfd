package dev.distlock.autoconfigure;

import dev.distlock.core.LockStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Reports a store that {@code distributed-lock.store} chose explicitly but that could not
 * be configured, saying what is missing, instead of failing on a missing
 * {@link LockStore} bean.
 *
 * @author Distributed Lock team
 */
final class LockStoreValidator {

	private LockStoreValidator() {
	}

	/**
	 * Return the configured store, or fail naming {@code distributed-lock.store} and what
	 * is missing.
	 * @param properties the properties
	 * @param stores the store, if one was configured
	 * @return the store
	 */
	static LockStore requireStore(DistributedLockProperties properties, ObjectProvider<LockStore> stores) {
		LockStore store = stores.getIfAvailable();
		if (store != null) {
			return store;
		}
		LockStoreType type = properties.getStore();
		String value = LockStoreCondition.propertyValue(type);
		String reason = switch (type) {
			case REDIS -> "The Redis lock store needs spring-data-redis on the class path and a RedisConnectionFactory "
					+ "bean (add spring-boot-starter-data-redis and set spring.data.redis.*), or choose another store.";
			case JDBC -> "The JDBC lock store needs spring-jdbc on the class path and a single DataSource bean (add "
					+ "spring-boot-starter-jdbc and set spring.datasource.*), or choose another store.";
			default -> "No lock store could be auto-configured; define a LockStore bean.";
		};
		throw new InvalidConfigurationPropertyValueException("distributed-lock.store", value, reason);
	}

}
