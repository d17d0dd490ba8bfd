package dev.distlock.autoconfigure;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.distlock.core.Durations;
import dev.distlock.core.LockStore;
import dev.distlock.redis.RedisLockStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link AutoConfiguration Auto-configuration} of the Redis lock store on the
 * application's {@link RedisConnectionFactory}, when {@code distributed-lock.store} is
 * {@code redis}, or {@code auto} and such a factory exists.
 * <p>
 * Without a connection factory an explicit {@code redis} store is left to
 * {@link DistributedLockAutoConfiguration}, which fails startup with a message that says
 * what is missing.
 *
 * @author Distributed Lock team
 */
@AutoConfiguration(before = DistributedLockAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "distributed-lock.enabled", matchIfMissing = true)
@ConditionalOnLockStore(LockStoreType.REDIS)
@EnableConfigurationProperties(DistributedLockProperties.class)
public final class RedisLockStoreAutoConfiguration {

	private static final Log logger = LogFactory.getLog(RedisLockStoreAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(LockStore.class)
	@ConditionalOnBean(RedisConnectionFactory.class)
	RedisLockStore redisLockStore(RedisConnectionFactory redisConnectionFactory, DistributedLockProperties properties) {
		DistributedLockProperties.Redis redis = properties.getRedis();
		String prefix = redis.getKeyPrefix();
		if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
			throw new InvalidConfigurationPropertyValueException("distributed-lock.redis.key-prefix", prefix,
					"A hash tag ('{' or '}') in the prefix would put every lock in one Redis Cluster slot.");
		}
		if (prefix.isEmpty()) {
			logger.warn("distributed-lock.redis.key-prefix is empty: lock keys such as '{token_refresh:42}' share the "
					+ "key space of the application's own data");
		}
		Duration pollInterval = LockSettingsFactory.check("distributed-lock.redis.poll-interval",
				redis.getPollInterval(), Durations.Rule.POSITIVE);
		RedisLockStore store = new RedisLockStore(redisConnectionFactory, prefix, pollInterval);
		logger.info("Using the Redis lock store (" + redisConnectionFactory.getClass().getSimpleName()
				+ ", key prefix '" + prefix + "')");
		return store;
	}

}
