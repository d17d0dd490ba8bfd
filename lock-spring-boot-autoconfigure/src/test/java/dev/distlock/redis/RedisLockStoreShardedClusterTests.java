package dev.distlock.redis;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.distlock.core.AbstractLockStoreContractTests;
import dev.distlock.core.Lease;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockTemplate;
import dev.distlock.redis.RedisServerSupport.EmbeddedRedis;
import dev.distlock.redis.RedisServerSupport.EmbeddedRedisCluster;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The lock contract on a Redis 7 Cluster, whose waiters are woken over sharded pub/sub
 * ({@code SSUBSCRIBE}/{@code SPUBLISH}) on the lock's own shard. Needs a Redis 7
 * {@code redis-server} (the machine's, or {@value RedisServerSupport#SERVER_VARIABLE}):
 * skipped, and reported as skipped, without one.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class RedisLockStoreShardedClusterTests extends AbstractLockStoreContractTests {

	private static EmbeddedRedisCluster cluster;

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void startCluster() {
		Optional<java.io.File> binary = RedisServerSupport.redis7Binary();
		assumeThat(binary).as("a Redis 7 redis-server binary for sharded pub/sub").isPresent();
		cluster = RedisServerSupport.startCluster(3, binary.get());
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
	void wakeUpsGoOverShardedPubSubOnTheLocksShard() throws Exception {
		LockTemplate holder = template(newStore(), LockSettings.defaults());
		RedisLockStore waiting = (RedisLockStore) store();
		LockKey key = key("sharded");
		Lease held = holder.acquire(key, options(Duration.ZERO, Duration.ofSeconds(30), false));
		java.util.concurrent.CompletableFuture<Lease> waiter = template().acquireAsync(key,
				options(Duration.ofSeconds(20), Duration.ofSeconds(30), false));
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> Boolean.TRUE.equals(waiting.isShardedWakeUps()));
		Thread.sleep(200);
		resetStats();
		held.close();
		Lease taken = waiter.get(5, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(taken.isValid()).isTrue();
		taken.close();
		Map<String, Long> calls = commandCalls();
		assertThat(calls.getOrDefault("spublish", 0L)).as("sharded messages").isEqualTo(1);
		assertThat(calls.getOrDefault("publish", 0L)).as("plain messages").isZero();
	}

	private static void resetStats() {
		forEachNode((connection) -> connection.sync().configResetstat());
	}

	private static Map<String, Long> commandCalls() {
		Map<String, Long> calls = new TreeMap<>();
		forEachNode((connection) -> RedisCommandStats.parse(connection.sync().info("commandstats"))
			.forEach((command, count) -> calls.merge(command, count, Long::sum)));
		return calls;
	}

	private static void forEachNode(java.util.function.Consumer<StatefulRedisConnection<String, String>> action) {
		for (EmbeddedRedis node : cluster.nodes()) {
			RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", node.port()));
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				action.accept(connection);
			}
			finally {
				client.shutdown();
			}
		}
	}

}
