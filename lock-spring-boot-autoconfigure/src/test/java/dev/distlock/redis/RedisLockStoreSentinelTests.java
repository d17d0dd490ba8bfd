package dev.distlock.redis;

import dev.distlock.core.AbstractLockStoreContractTests;
import dev.distlock.core.LockStore;
import dev.distlock.redis.RedisServerSupport.EmbeddedRedisSentinel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The lock contract through Redis Sentinel: Lettuce finds the master through an embedded
 * Sentinel, for commands and for the release subscription alike.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class RedisLockStoreSentinelTests extends AbstractLockStoreContractTests {

	private static EmbeddedRedisSentinel sentinel;

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void startSentinel() {
		sentinel = RedisServerSupport.startSentinel();
		connectionFactory = RedisServerSupport.lettuce(sentinel.configuration());
	}

	@AfterAll
	static void stopSentinel() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
		if (sentinel != null) {
			sentinel.close();
		}
	}

	@Override
	protected LockStore createStore() {
		return new RedisLockStore(connectionFactory, "lock:");
	}

}
