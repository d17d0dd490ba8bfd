package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

import dev.distlock.core.DistributedLockLifecycle;
import dev.distlock.core.Durations;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockListener;
import dev.distlock.core.LockLostEventPublisher;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockTemplate;
import dev.distlock.reactive.ReactiveLockTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@link AutoConfiguration Auto-configuration} of distributed locks: the lock store, the
 * {@link LockTemplate}, the shared renewal scheduler, graceful shutdown and the
 * {@code @DistributedLock} advice.
 * <p>
 * The store is the first of Redis, JDBC and in-memory whose configuration matches
 * {@code distributed-lock.store} and finds what it needs
 * ({@link LockStoreConfigurations}, as Spring Boot chooses a cache); a {@code LockStore}
 * bean of the application's own replaces them all, and a store chosen explicitly but
 * impossible to configure fails startup with the reason.
 *
 * @author Distributed Lock team
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "distributed-lock.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DistributedLockProperties.class)
@Import({ DistributedLockAdviceConfiguration.class, RedisLockStoreConfiguration.class, JdbcLockStoreConfiguration.class,
		InMemoryLockStoreConfiguration.class })
public final class DistributedLockAutoConfiguration {

	private static final Log logger = LogFactory.getLog(DistributedLockAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	LockSettings distributedLockSettings(DistributedLockProperties properties) {
		return LockSettingsFactory.create(properties);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	LeaseRenewalScheduler distributedLockRenewalScheduler() {
		return new LeaseRenewalScheduler();
	}

	@Bean
	LockLostEventPublisher distributedLockLostEventPublisher(ApplicationEventPublisher publisher) {
		return new LockLostEventPublisher(publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	LockTemplate lockTemplate(ObjectProvider<LockStore> lockStores, LockSettings settings,
			LeaseRenewalScheduler scheduler, ObjectProvider<LockListener> listeners,
			DistributedLockProperties properties,
			@Qualifier("applicationTaskExecutor") ObjectProvider<Executor> applicationTaskExecutor) {
		LockStore lockStore = LockStoreValidator.requireStore(properties, lockStores);
		Duration storeTimeout = switch (lockStore.storeName()) {
			case "redis" -> LockSettingsFactory.check("distributed-lock.redis.timeout",
					properties.getRedis().getTimeout(), Durations.Rule.POSITIVE);
			case "jdbc" -> LockSettingsFactory.check("distributed-lock.jdbc.timeout", properties.getJdbc().getTimeout(),
					Durations.Rule.POSITIVE);
			default -> Duration.ofSeconds(5);
		};
		return LockTemplate.builder(lockStore)
			.settings(settings)
			.scheduler(scheduler)
			.listener(LockListener.composite(listeners.orderedStream().toList()))
			.asyncExecutor(applicationTaskExecutor.getIfAvailable(ForkJoinPool::commonPool))
			.storeTimeout(storeTimeout)
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	DistributedLockLifecycle distributedLockLifecycle(LockTemplate lockTemplate, DistributedLockProperties properties) {
		return new DistributedLockLifecycle(lockTemplate, LockSettingsFactory.check("distributed-lock.shutdown.timeout",
				properties.getShutdown().getTimeout(), Durations.Rule.NOT_NEGATIVE));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "reactor.core.publisher.Mono")
	static class ReactiveLockTemplateConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReactiveLockTemplate reactiveLockTemplate(LockTemplate lockTemplate) {
			return new ReactiveLockTemplate(lockTemplate);
		}

	}

}
