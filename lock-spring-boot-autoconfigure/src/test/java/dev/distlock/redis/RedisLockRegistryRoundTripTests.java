package dev.distlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockGrant;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockListener;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockTemplate;
import dev.distlock.redis.RedisServerSupport.EmbeddedRedis;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the {@link RedisLockRegistry} sends to Redis and what it leaves there, counted by
 * the server itself ({@code INFO commandstats}) on a private embedded server, so that no
 * other client's commands are counted.
 *
 * @author Distributed Lock team
 */
class RedisLockRegistryRoundTripTests {

	private EmbeddedRedis server;

	private LettuceConnectionFactory connectionFactory;

	private RedisLockRegistry registry;

	private RedisClient adminClient;

	private StatefulRedisConnection<String, String> adminConnection;

	private RedisCommands<String, String> admin;

	@BeforeEach
	void startServer() {
		this.server = RedisServerSupport.startServer();
		this.connectionFactory = RedisServerSupport.lettuce(this.server.configuration());
		this.registry = new RedisLockRegistry(this.connectionFactory, "lock:");
		this.adminClient = RedisClient.create(RedisURI.create("127.0.0.1", this.server.port()));
		this.adminConnection = this.adminClient.connect();
		this.admin = this.adminConnection.sync();
	}

	@AfterEach
	void stopServer() {
		this.registry.close();
		this.connectionFactory.destroy();
		this.adminConnection.close();
		this.adminClient.shutdown();
		this.server.close();
	}

	@Test
	void uncontendedAcquireAndReleaseAreTwoCommands() throws Exception {
		LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();
		try {
			LockTemplate template = new LockTemplate(this.registry, LockSettings.defaults(), scheduler,
					new LockListener() {
					});
			// Connects the client and loads the scripts (NOSCRIPT, then EVAL),
			// both once per server: not what an acquire costs.
			template.execute(LockKey.of("round_trips", "warm-up"), () -> null);
			this.admin.configResetstat();

			template.execute(LockKey.of("round_trips", 42), () -> null);

			Map<String, Long> calls = commandCalls();
			assertThat(calls.remove("evalsha")).as("commands sent by the client").isEqualTo(2);
			// The rest ran inside the two scripts (Redis counts them too): no
			// round trips.
			assertThat(calls)
				.containsExactlyInAnyOrderEntriesOf(Map.of("set", 2L, "get", 2L, "time", 1L, "del", 1L, "publish", 1L));
		}
		finally {
			scheduler.close();
		}
	}

	@Test
	void renewIsOneCommand() throws Exception {
		LockKey key = LockKey.of("round_trips", "renew");
		this.registry.tryAcquire(key, "owner", Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
		// Loads the script (NOSCRIPT, then EVAL): once per server.
		assertThat(this.registry.renew(key, "owner", Duration.ofSeconds(30))).isTrue();
		this.admin.configResetstat();
		assertThat(this.registry.renew(key, "owner", Duration.ofSeconds(30))).isTrue();
		Map<String, Long> calls = commandCalls();
		assertThat(calls.remove("evalsha")).isEqualTo(1);
		assertThat(calls).containsExactlyInAnyOrderEntriesOf(Map.of("get", 1L, "pexpire", 1L));
	}

	@Test
	void keysAreReadableAndShareAHashTag() throws Exception {
		LockKey key = LockKey.of("token_refresh", 42);
		LockGrant grant = this.registry.tryAcquire(key, "owner-1", Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
		assertThat(this.admin.keys("lock:*")).containsExactlyInAnyOrder("lock:{token_refresh:42}",
				"lock:{token_refresh:42}:fence");
		assertThat(this.admin.get("lock:{token_refresh:42}")).isEqualTo("owner-1");
		assertThat(this.admin.pttl("lock:{token_refresh:42}")).isBetween(25_000L, 30_000L);
		assertThat(this.admin.get("lock:{token_refresh:42}:fence")).isEqualTo(Long.toString(grant.fencingToken()));
		assertThat(this.admin.pttl("lock:{token_refresh:42}:fence")).as("the fencing counter's retention")
			.isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
		assertThat(this.registry.release(key, "owner-1")).isTrue();
		assertThat(this.admin.keys("lock:*")).containsExactly("lock:{token_refresh:42}:fence");
	}

	@Test
	void fencingTokensAreNeverBelowTheServerClockInMicroseconds() throws Exception {
		LockKey key = LockKey.of("fencing", "clock");
		List<String> before = this.admin.time();
		long micros = Long.parseLong(before.get(0)) * 1_000_000 + Long.parseLong(before.get(1));
		LockGrant grant = this.registry.tryAcquire(key, "owner", Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
		assertThat(grant.fencingToken()).isGreaterThanOrEqualTo(micros);
		this.registry.release(key, "owner");
		// A counter ahead of the clock (such as after the clock stepped back) still wins.
		long ahead = micros + Duration.ofHours(1).toNanos() / 1000;
		this.admin.set(this.registry.fencingCounterKey(key), Long.toString(ahead));
		LockGrant next = this.registry.tryAcquire(key, "owner", Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
		assertThat(next.fencingToken()).isEqualTo(ahead + 1);
		this.registry.release(key, "owner");
	}

	@Test
	void aReleaseWakesOneWaiterOfTheJvmThroughOneSubscription() throws Exception {
		LockKey key = LockKey.of("wake_one", 1);
		this.registry.tryAcquire(key, "holder", Duration.ofSeconds(60), Duration.ZERO).orElseThrow();
		// Waiters on other keys share the subscription too.
		LockKey other = LockKey.of("wake_one", 2);
		this.registry.tryAcquire(other, "holder", Duration.ofSeconds(60), Duration.ZERO).orElseThrow();
		int waiters = 5;
		ExecutorService executor = Executors.newFixedThreadPool(waiters + 1);
		try {
			this.admin.configResetstat();
			List<Future<Optional<LockGrant>>> futures = new ArrayList<>();
			for (int i = 0; i < waiters; i++) {
				String owner = "waiter-" + i;
				futures.add(executor.submit(
						() -> this.registry.tryAcquire(key, owner, Duration.ofSeconds(60), Duration.ofSeconds(30))));
			}
			Future<Optional<LockGrant>> otherWaiter = executor.submit(() -> this.registry.tryAcquire(other,
					"other-waiter", Duration.ofSeconds(60), Duration.ofSeconds(30)));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> commandCalls().getOrDefault("evalsha", 0L) >= waiters + 1
						&& this.admin.pubsubNumsub("lock:released").get("lock:released") > 0);
			Thread.sleep(200);
			assertThat(this.admin.pubsubNumsub("lock:released")).containsEntry("lock:released", 1L);
			assertThat(this.registry.isListening()).isTrue();
			this.admin.configResetstat();

			List<String> owners = new ArrayList<>(List.of("holder"));
			for (int released = 1; released <= waiters; released++) {
				String owner = owners.get(owners.size() - 1);
				assertThat(this.registry.release(key, owner)).isTrue();
				int expected = released;
				await().atMost(Duration.ofSeconds(5)).until(() -> done(futures) == expected);
				Thread.sleep(200);
				assertThat(done(futures)).as("waiters that acquired after %d releases", released).isEqualTo(released);
				if (released == 1) {
					assertThat(commandCalls().get("evalsha")).as("the release and one waiter's acquire").isEqualTo(2);
				}
				for (Future<Optional<LockGrant>> future : futures) {
					if (future.isDone()) {
						String winner = "waiter-" + futures.indexOf(future);
						if (!owners.contains(winner)) {
							owners.add(winner);
						}
					}
				}
			}
			assertThat(otherWaiter).isNotDone();
			this.registry.release(other, "holder");
			assertThat(otherWaiter.get().orElseThrow().fencingToken()).isPositive();
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static long done(List<? extends Future<?>> futures) {
		return futures.stream().filter(Future::isDone).count();
	}

	private Map<String, Long> commandCalls() {
		Map<String, Long> calls = new TreeMap<>();
		this.admin.info("commandstats").lines().filter((line) -> line.startsWith("cmdstat_")).forEach((line) -> {
			String command = line.substring("cmdstat_".length(), line.indexOf(':'));
			String count = line.substring(line.indexOf("calls=") + "calls=".length(), line.indexOf(','));
			calls.put(command, Long.parseLong(count));
		});
		// The test's own resetting of the statistics.
		calls.remove("config");
		calls.remove("config|resetstat");
		return calls;
	}

}
