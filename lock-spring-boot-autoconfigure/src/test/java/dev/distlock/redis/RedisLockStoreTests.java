package dev.distlock.redis;

import java.util.ArrayList;
import java.util.List;

import dev.distlock.core.AbstractLockStoreContractTests;
import dev.distlock.core.LockStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The lock contract on the {@link RedisLockStore} over Lettuce, against the machine's
 * Redis when {@value RedisServerSupport#URL_VARIABLE} is set, else an embedded
 * {@code redis-server}. Every store has a connection factory of its own, as separate
 * instances of an application have.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class RedisLockStoreTests extends AbstractLockStoreContractTests {

	private final List<LettuceConnectionFactory> connectionFactories = new ArrayList<>();

	@Override
	protected LockStore createStore() {
		LettuceConnectionFactory connectionFactory = RedisServerSupport.lettuce(RedisServerSupport.sharedServer());
		this.connectionFactories.add(connectionFactory);
		return new RedisLockStore(connectionFactory, "distlock-test:");
	}

	@AfterEach
	void destroyConnectionFactories() {
		this.connectionFactories.forEach(LettuceConnectionFactory::destroy);
	}

}
