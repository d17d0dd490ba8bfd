package dev.distlock.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.distlock.core.AbstractLockRegistryContractTests;
import dev.distlock.core.LockRegistry;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The lock contract on the {@link RedisLockRegistry} over Lettuce, against the machine's
 * Redis when {@value RedisServerSupport#URL_VARIABLE} is set, else an embedded
 * {@code redis-server}.
 *
 * @author Distributed Lock team
 */
class RedisLockRegistryTests extends AbstractLockRegistryContractTests {

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void connect() {
		connectionFactory = RedisServerSupport.lettuce(RedisServerSupport.sharedServer());
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected LockRegistry createRegistry() {
		return new RedisLockRegistry(connectionFactory, "distlock-test:");
	}

}
