package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockListener;
import dev.distlock.core.LockLostEventPublisher;
import dev.distlock.core.LockRegistry;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockTemplate;
import dev.distlock.memory.InMemoryLockRegistry;

import org.springframework.beans.factory.ObjectProvider;
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
 * {@link LockTemplate}, the shared renewal scheduler, the {@code @DistributedLock}
 * advice, and the in-memory store when no other store was configured.
 * <p>
 * The Redis and JDBC stores have their own auto-configurations that run before this one
 * and contribute the {@link LockRegistry}; a {@code LockRegistry} bean of the
 * application's own replaces them all.
 *
 * @author Distributed Lock team
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "distributed-lock.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DistributedLockProperties.class)
@Import(DistributedLockAdviceConfiguration.class)
public final class DistributedLockAutoConfiguration {

	private static final Log logger = LogFactory.getLog(DistributedLockAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	LockSettings distributedLockSettings(DistributedLockProperties properties) {
		LockSettings.Builder builder = LockSettings.builder()
			.waitTime(notNegative("distributed-lock.wait-time", properties.getWaitTime()))
			.leaseTime(positive("distributed-lock.lease-time", properties.getLeaseTime()))
			.autoRenew(properties.isAutoRenew())
			.reentrant(properties.isReentrant())
			.leaseLostPolicy(properties.getOnLeaseLost());
		for (Map.Entry<String, DistributedLockProperties.Namespace> entry : properties.getNamespaces().entrySet()) {
			String prefix = "distributed-lock.namespaces." + entry.getKey();
			DistributedLockProperties.Namespace namespace = entry.getValue();
			Duration waitTime = namespace.getWaitTime();
			Duration leaseTime = namespace.getLeaseTime();
			builder.namespace(entry.getKey(),
					new LockSettings.NamespaceOverrides(
							(waitTime != null) ? notNegative(prefix + ".wait-time", waitTime) : null,
							(leaseTime != null) ? positive(prefix + ".lease-time", leaseTime) : null,
							namespace.getAutoRenew()));
		}
		return builder.build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	LeaseRenewalScheduler distributedLockRenewalScheduler() {
		return new LeaseRenewalScheduler();
	}

	@Bean
	@ConditionalOnMissingBean(LockRegistry.class)
	InMemoryLockRegistry inMemoryLockRegistry(DistributedLockProperties properties) {
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
		return new InMemoryLockRegistry();
	}

	@Bean
	LockLostEventPublisher distributedLockLostEventPublisher(ApplicationEventPublisher publisher) {
		return new LockLostEventPublisher(publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	LockTemplate lockTemplate(LockRegistry lockRegistry, LockSettings settings, LeaseRenewalScheduler scheduler,
			ObjectProvider<LockListener> listeners) {
		return new LockTemplate(lockRegistry, settings, scheduler,
				LockListener.composite(listeners.orderedStream().toList()));
	}

	private static Duration notNegative(String property, Duration value) {
		if (value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Must not be negative.");
		}
		return value;
	}

	private static Duration positive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Must be positive.");
		}
		return value;
	}

}
