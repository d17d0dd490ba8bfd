package dev.distlock.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.distlock.core.AbstractLockRegistryContractTests;
import dev.distlock.core.LockRegistry;

import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * The lock contract on the {@link RedisLockRegistry} over Jedis: the store depends on
 * Spring Data Redis only, not on one client.
 *
 * @author Distributed Lock team
 */
class RedisLockRegistryJedisTests extends AbstractLockRegistryContractTests {

	private static JedisConnectionFactory connectionFactory;

	@BeforeAll
	static void connect() {
		connectionFactory = RedisServerSupport.jedis(RedisServerSupport.sharedServer());
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected LockRegistry createRegistry() {
		return new RedisLockRegistry(connectionFactory, "distlock-test-jedis:");
	}

}
