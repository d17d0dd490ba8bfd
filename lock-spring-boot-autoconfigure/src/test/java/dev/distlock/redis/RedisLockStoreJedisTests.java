package dev.distlock.redis;

import dev.distlock.core.AbstractLockStoreContractTests;
import dev.distlock.core.LockStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * The lock contract on the {@link RedisLockStore} over Jedis: the store depends on Spring
 * Data Redis only, not on one client.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class RedisLockStoreJedisTests extends AbstractLockStoreContractTests {

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
	protected LockStore createStore() {
		return new RedisLockStore(connectionFactory, "distlock-test-jedis:");
	}

}
