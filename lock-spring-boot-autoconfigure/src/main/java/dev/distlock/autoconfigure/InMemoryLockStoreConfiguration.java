package dev.distlock.autoconfigure;

import dev.distlock.core.LockStore;
import dev.distlock.memory.InMemoryLockStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The in-memory lock store: chosen explicitly, or by {@code auto} when neither Redis nor
 * a {@code DataSource} is there (with a warning that locks are local to this JVM).
 *
 * @author Distributed Lock team
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(LockStore.class)
@Conditional(LockStoreCondition.class)
class InMemoryLockStoreConfiguration {

	private static final Log logger = LogFactory.getLog(DistributedLockAutoConfiguration.class);

	@Bean
	InMemoryLockStore inMemoryLockStore(DistributedLockProperties properties) {
		if (properties.getStore() == LockStoreType.AUTO) {
			logger.warn("No RedisConnectionFactory or DataSource found: using the in-memory lock store. "
					+ "Locks are local to this JVM and do not coordinate other instances of the application. "
					+ "Set distributed-lock.store=in-memory to confirm this choice.");
		}
		else {
			logger.info("Using the in-memory lock store: locks are local to this JVM");
		}
		return new InMemoryLockStore();
	}

}
