package dev.distlock.autoconfigure;

import java.time.Duration;

import dev.distlock.core.Durations;
import dev.distlock.core.LockStore;
import dev.distlock.redis.RedisLockStore;
import dev.distlock.redis.RedisLockStoreRuntimeHints;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The Redis lock store on the application's {@link RedisConnectionFactory}: chosen
 * explicitly, or by {@code auto} when such a factory exists.
 *
 * @author Distributed Lock team
 */
@Configuration(proxyBeanMethods = false)
@ImportRuntimeHints(RedisLockStoreRuntimeHints.class)
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnMissingBean(LockStore.class)
@Conditional(LockStoreCondition.class)
class RedisLockStoreConfiguration {

	private static final Log logger = LogFactory.getLog(DistributedLockAutoConfiguration.class);

	@Bean
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
