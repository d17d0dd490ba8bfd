package dev.distlock.redis;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distlock.core.AbstractLockRegistryContractTests;
import dev.distlock.core.LockGrant;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockRegistry;
import dev.distlock.redis.RedisServerSupport.EmbeddedRedisCluster;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock contract on a real Redis Cluster of three embedded masters, through Lettuce's
 * cluster client, and locks spread over many slots without a {@code CROSSSLOT} error.
 *
 * @author Distributed Lock team
 */
class RedisLockRegistryClusterTests extends AbstractLockRegistryContractTests {

	private static EmbeddedRedisCluster cluster;

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void startCluster() {
		cluster = RedisServerSupport.startCluster(3);
		connectionFactory = RedisServerSupport.lettuce(cluster.configuration());
	}

	@AfterAll
	static void stopCluster() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Override
	protected LockRegistry createRegistry() {
		return new RedisLockRegistry(connectionFactory, "lock:");
	}

	@Test
	void locksOnKeysInManySlotsKeepTheirKeysInOneSlot() throws Exception {
		Set<Integer> slots = new HashSet<>();
		Map<String, Integer> keysPerNode = new HashMap<>();
		RedisLockRegistry registry = (RedisLockRegistry) registry();
		long previous = 0;
		for (int i = 0; i < 300; i++) {
			LockKey key = key("user", i);
			String lockKey = registry.redisKey(key);
			int slot = SlotHash.getSlot(lockKey);
			assertThat(SlotHash.getSlot(registry.fencingCounterKey(key))).isEqualTo(slot);
			slots.add(slot);
			LockGrant grant = registry.tryAcquire(key, "owner-" + i, Duration.ofSeconds(30), Duration.ZERO)
				.orElseThrow();
			assertThat(grant.fencingToken()).isGreaterThan(previous);
			previous = grant.fencingToken();
			try (RedisClusterConnection connection = connectionFactory.getClusterConnection()) {
				RedisClusterNode node = connection.clusterGetNodeForKey(lockKey.getBytes());
				keysPerNode.merge(node.getId(), 1, Integer::sum);
				assertThat(connection.clusterCountKeysInSlot(slot)).as("keys in slot %d", slot)
					.isGreaterThanOrEqualTo(2);
			}
			assertThat(registry.renew(key, "owner-" + i, Duration.ofSeconds(30))).isTrue();
			assertThat(registry.release(key, "owner-" + i)).isTrue();
		}
		assertThat(slots).hasSizeGreaterThan(250);
		assertThat(keysPerNode).as("locks per master")
			.hasSize(3)
			.allSatisfy((node, count) -> assertThat(count).isGreaterThan(50));
	}

}
