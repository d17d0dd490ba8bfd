package dev.distlock.redis;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.AbstractLockStoreContractTests;
import dev.distlock.core.Lease;
import dev.distlock.core.LeaseRenewal;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockStores;
import dev.distlock.core.LockTemplate;
import dev.distlock.redis.RedisServerSupport.EmbeddedRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lock contract on a Redis Cluster of three embedded masters (Redis 6.2: wake-ups
 * over plain pub/sub), and that every lock's keys share one slot while locks spread over
 * the whole cluster.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class RedisLockStoreClusterTests extends AbstractLockStoreContractTests {

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
	protected LockStore createStore() {
		return new RedisLockStore(connectionFactory, "lock:");
	}

	@Test
	void locksOnKeysInManySlotsKeepTheirKeysInOneSlot() {
		Set<Integer> slots = new HashSet<>();
		Map<String, Integer> keysPerNode = new HashMap<>();
		RedisLockStore store = (RedisLockStore) store();
		long previous = 0;
		for (int i = 0; i < 300; i++) {
			LockKey key = key("user", i);
			String lockKey = store.redisKey(key);
			int slot = SlotHash.getSlot(lockKey);
			assertThat(SlotHash.getSlot(store.fencingCounterKey(key))).isEqualTo(slot);
			slots.add(slot);
			long token = LockStores.acquire(store, key, "owner-" + i, Duration.ofSeconds(30)).orElseThrow();
			assertThat(token).isGreaterThan(previous);
			previous = token;
			try (RedisClusterConnection connection = connectionFactory.getClusterConnection()) {
				RedisClusterNode node = connection.clusterGetNodeForKey(lockKey.getBytes());
				keysPerNode.merge(node.getId(), 1, Integer::sum);
				assertThat(connection.clusterCountKeysInSlot(slot)).as("keys in slot %d", slot)
					.isGreaterThanOrEqualTo(2);
			}
			assertThat(LockStores.release(store, key, "owner-" + i)).isTrue();
		}
		assertThat(slots).hasSizeGreaterThan(250);
		assertThat(keysPerNode).as("locks per master")
			.hasSize(3)
			.allSatisfy((node, count) -> assertThat(count).isGreaterThan(50));
	}

	@Test
	void renewalsOfLocksInManySlotsAreGroupedBySlot() {
		RedisLockStore store = (RedisLockStore) store();
		List<LeaseRenewal> renewals = new java.util.ArrayList<>();
		for (int i = 0; i < 100; i++) {
			LockKey key = key("renew", i);
			LockStores.acquire(store, key, "owner", Duration.ofSeconds(30)).orElseThrow();
			renewals.add(new LeaseRenewal(key, "owner", Duration.ofSeconds(30)));
		}
		renewals.add(new LeaseRenewal(key("renew", "free"), "owner", Duration.ofSeconds(30)));
		List<Boolean> results = store.renew(renewals).toCompletableFuture().join();
		assertThat(results.subList(0, 100)).containsOnly(true);
		assertThat(results.get(100)).isFalse();
	}

	@Test
	void wakeUpsUsePlainPubSubBeforeRedis7() throws Exception {
		LockKey key = key("plain");
		Lease held = template().acquire(key, options(Duration.ZERO, Duration.ofSeconds(30), false));
		RedisLockStore waiting = (RedisLockStore) newStore();
		LockTemplate waiter = template(waiting, LockSettings.defaults());
		CompletableFuture<Lease> next = waiter.acquireAsync(key,
				options(Duration.ofSeconds(20), Duration.ofSeconds(30), false));
		await().atMost(Duration.ofSeconds(10)).until(() -> waiting.isShardedWakeUps() != null);
		assertThat(waiting.isShardedWakeUps()).isFalse();
		held.close();
		next.get(5, TimeUnit.SECONDS).close();
	}

}
