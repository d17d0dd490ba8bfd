package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.distlock.core.DistributedLockLifecycle;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockListener;
import dev.distlock.core.LockLostEventPublisher;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockTemplate;
import dev.distlock.core.Durations;
import dev.distlock.memory.InMemoryLockStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@link AutoConfiguration Auto-configuration} of distributed locks: the
 * {@link LockTemplate}, the shared renewal scheduler, graceful shutdown, the
 * {@code @DistributedLock} advice, and the in-memory store when no other store was
 * configured.
 * <p>
 * The Redis and JDBC stores have their own auto-configurations that run before this one
 * and contribute the {@link LockStore}; a {@code LockStore} bean of the application's own
 * replaces them all.
 *
 * @author Distributed Lock team
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "distributed-lock.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DistributedLockProperties.class)
@Import(DistributedLockAdviceConfiguration.class)
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
	@ConditionalOnMissingBean(LockStore.class)
	InMemoryLockStore inMemoryLockStore(DistributedLockProperties properties) {
		switch (properties.getStore()) {
			case REDIS -> throw new InvalidConfigurationPropertyValueException("distributed-lock.store", "redis",
					"The Redis lock store needs spring-data-redis on the class path and a RedisConnectionFactory bean "
							+ "(add spring-boot-starter-data-redis and set spring.data.redis.*), or choose another store.");
			case JDBC -> throw new InvalidConfigurationPropertyValueException("distributed-lock.store", "jdbc",
					"The JDBC lock store needs spring-jdbc on the class path and a DataSource bean "
							+ "(add spring-boot-starter-jdbc and set spring.datasource.*), or choose another store.");
			case AUTO -> logger.warn("No RedisConnectionFactory or DataSource found: using the in-memory lock store. "
					+ "Locks are local to this JVM and do not coordinate other instances of the application. "
					+ "Set distributed-lock.store=in-memory to confirm this choice.");
			case IN_MEMORY -> logger.info("Using the in-memory lock store: locks are local to this JVM");
		}
		return new InMemoryLockStore();
	}

	@Bean
	LockLostEventPublisher distributedLockLostEventPublisher(ApplicationEventPublisher publisher) {
		return new LockLostEventPublisher(publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	LockTemplate lockTemplate(LockStore lockStore, LockSettings settings, LeaseRenewalScheduler scheduler,
			ObjectProvider<LockListener> listeners, DistributedLockProperties properties,
			@Qualifier("applicationTaskExecutor") ObjectProvider<Executor> applicationTaskExecutor) {
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

}
