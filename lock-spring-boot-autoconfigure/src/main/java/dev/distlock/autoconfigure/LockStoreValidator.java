package dev.distlock.autoconfigure;

import dev.distlock.core.LockStore;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Reports a store that {@code distributed-lock.store} chose explicitly but that could not
 * be configured, saying what is missing, instead of failing later on a missing
 * {@link LockStore} bean.
 *
 * @author Distributed Lock team
 */
class LockStoreValidator implements InitializingBean {

	private final DistributedLockProperties properties;

	private final ObjectProvider<LockStore> stores;

	LockStoreValidator(DistributedLockProperties properties, ObjectProvider<LockStore> stores) {
		this.properties = properties;
		this.stores = stores;
	}

	@Override
	public void afterPropertiesSet() {
		LockStoreType type = this.properties.getStore();
		if (this.stores.getIfAvailable() != null) {
			return;
		}
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
