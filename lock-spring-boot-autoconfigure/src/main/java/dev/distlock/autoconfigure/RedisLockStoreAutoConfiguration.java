package dev.distlock.autoconfigure;

import dev.distlock.core.LockRegistry;
import dev.distlock.redis.RedisLockRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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

	@Bean
	@ConditionalOnMissingBean(LockRegistry.class)
	@ConditionalOnBean(RedisConnectionFactory.class)
	RedisLockRegistry redisLockRegistry(RedisConnectionFactory redisConnectionFactory,
			DistributedLockProperties properties) {
		return new RedisLockRegistry(redisConnectionFactory, properties.getRedis().getKeyPrefix());
	}

}
