package dev.distlock.faults;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.LockKey;
import dev.distlock.faults.NodeProcess.Event;
import dev.distlock.faults.servers.PrivateMariaDb;
import dev.distlock.faults.servers.PrivateRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blackhole between a holder and its store, through the {@link FaultProxy} (scenario
 * d): the holder is told by its local clock at its lease's deadline, no later than
 * another instance (connected directly) acquires the key; an acquire under the blackhole
 * fails with {@code LockStoreException} within its bound; on Redis, the acquire that
 * timed out leaves no ghost lock once the network heals. H2 runs in the application's own
 * JVM, so no network can fail between them: not applicable.
 *
 * @author Distributed Lock team
 */
@Tag("faults")
@Tag("server")
@TestInstance(Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlackholeFaultTests {

	private static final long LEASE = 3000;

	/** distributed-lock.redis.timeout / jdbc.timeout of the nodes. */
	private static final long STORE_TIMEOUT = 1000;

	private PrivateRedis redis;

	@BeforeAll
	void startServers() {
		this.redis = PrivateRedis.start();
		FaultEnvironment.postgres();
	}

	@AfterAll
	void stopServers() {
		Figures.record("d. acquire under the blackhole (H2)", "-", "n/a: an in-process database has no network to fail",
				"-");
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void redis() {
		try (FaultProxy proxy = new FaultProxy(this.redis.port())) {
			blackhole(Stores.REDIS, this.redis.port(), proxy, true);
		}
	}

	@Test
	void postgres() {
		int port = FaultEnvironment.postgres().port();
		try (FaultProxy proxy = new FaultProxy(port)) {
			blackhole(Stores.POSTGRESQL, port, proxy, false);
		}
	}

	@Test
	void mariaDb() {
		try (PrivateMariaDb mariaDb = PrivateMariaDb.start(); FaultProxy proxy = new FaultProxy(mariaDb.port())) {
			blackhole(Stores.MARIADB, mariaDb.port(), proxy, false);
		}
	}

	private void blackhole(Stores store, int serverPort, FaultProxy proxy, boolean ghost) {
		String key = "blackhole-" + store.name().toLowerCase();
		try (NodeProcess holder = NodeProcess.start("d-holder-" + store, store.node(proxy.port()));
				NodeProcess taker = NodeProcess.start("d-taker-" + store, store.node(serverPort))) {
			holder.send("hold tag=h key=" + key + " lease=" + LEASE + " wait=0 hold=30000 marker=false");
			holder.await("ACQUIRED", "h", Duration.ofSeconds(10));
			taker.send("hold tag=t key=" + key + " lease=" + LEASE + " wait=20000 hold=100 marker=false");
			taker.await("ATTEMPT", "t", Duration.ofSeconds(5));
			HolderProcessFaultTests.sleep(300);
			proxy.blackhole();
			long blackholed = System.nanoTime();
			Event told = holder.await("TOLD", "h", Duration.ofMillis(LEASE + 3000));
			Event taken = taker.awaitAny("t", Duration.ofSeconds(20), "ACQUIRED", "FAILED");
			assertThat(taken.type()).as(taken.toString()).isEqualTo("ACQUIRED");
			long afterDeadline = told.getLong("afterExpiryMs");
			long toldBeforeTaken = (taken.nanos() - told.nanos()) / 1_000_000;
			Figures.record("d. blackhole holder-store, lease " + LEASE + " ms (" + store + ")",
					"holder told: after its deadline / before the other instance acquired",
					afterDeadline + " ms / " + toldBeforeTaken + " ms (told " + (told.nanos() - blackholed) / 1_000_000
							+ " ms into the blackhole)",
					"told at the deadline (< 250 ms after), before the other acquires");
			assertThat(toldBeforeTaken).as("the holder is told before the other instance acquires")
				.isGreaterThanOrEqualTo(0);
			assertThat(afterDeadline).as("told by the local clock at the deadline").isLessThan(250);
			holder.await("LOCK_LOST_EXCEPTION", "h", Duration.ofSeconds(5));

			// An acquire under the blackhole, without and with waiting.
			holder.send("hold tag=f key=" + key + "-fail lease=" + LEASE + " wait=0 hold=100");
			Event failed = holder.awaitAny("f", Duration.ofSeconds(20), "FAILED", "ACQUIRED");
			holder.send("hold tag=w key=" + key + "-wait lease=" + LEASE + " wait=3000 hold=100");
			Event failedWaiting = holder.awaitAny("w", Duration.ofSeconds(30), "FAILED", "ACQUIRED");
			Figures.record("d. acquire under the blackhole (" + store + ")",
					"LockStoreException after: wait 0 s / wait 3 s",
					failed.attributes().getOrDefault("elapsedMs", "-") + " ms / "
							+ failedWaiting.attributes().getOrDefault("elapsedMs", "-") + " ms",
					"timeout " + STORE_TIMEOUT + " ms (+500 ms grace); wait 3 s: within the wait + 1.5 s");
			assertThat(failed.type()).as(failed.toString()).isEqualTo("FAILED");
			assertThat(failed.get("exception")).isEqualTo("LockStoreException");
			assertThat(failed.getLong("elapsedMs")).isLessThan(STORE_TIMEOUT + 1000);
			assertThat(failedWaiting.type()).as(failedWaiting.toString()).isEqualTo("FAILED");
			assertThat(failedWaiting.get("exception")).isEqualTo("LockStoreException");
			assertThat(failedWaiting.getLong("elapsedMs")).isLessThan(3000 + 1500);

			long healed = System.nanoTime();
			proxy.heal();
			if (ghost) {
				long ghostMillis = ghostLifetime(key + "-fail", healed);
				Figures.record("d. Redis ghost lock", "key held after healing by the acquire that timed out",
						(ghostMillis > 0) ? ghostMillis + " ms"
								: "never seen (read every 10 ms); the acquire reached Redis: "
										+ delivered(key + "-fail"),
						"< 2000 ms");
				assertThat(ghostMillis).as("ghost lock lifetime after healing").isLessThan(2000);
			}
			// After healing, the holder's node works again without a restart.
			holder.send("hold tag=again key=" + key + "-again lease=" + LEASE + " wait=5000 hold=100");
			Event again = holder.awaitAny("again", Duration.ofSeconds(20), "ACQUIRED", "FAILED");
			assertThat(again.type()).as(again.toString()).isEqualTo("ACQUIRED");
		}
	}

	/**
	 * Return whether the acquire reached Redis after all: it left the key's fencing
	 * counter behind.
	 */
	private boolean delivered(String key) {
		String fence = "lock:{" + LockKey.of("faults", key).asString() + "}:fence";
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", this.redis.port()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().exists(fence) == 1;
		}
		finally {
			client.shutdown();
		}
	}

	/**
	 * Read the key directly on the private server until the ghost is gone.
	 * @return how long it lived after healing, 0 if it was never seen
	 */
	private long ghostLifetime(String key, long healed) {
		String redisKey = "lock:{" + LockKey.of("faults", key).asString() + "}";
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", this.redis.port()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			long deadline = healed + TimeUnit.SECONDS.toNanos(35);
			boolean seen = false;
			while (System.nanoTime() - deadline < 0) {
				if (connection.sync().exists(redisKey) == 0) {
					if (seen) {
						return (System.nanoTime() - healed) / 1_000_000;
					}
					if (System.nanoTime() - healed > TimeUnit.MILLISECONDS.toNanos(1000)) {
						// Never there: released before the first look, or never
						// delivered.
						return 0;
					}
				}
				else {
					seen = true;
				}
				HolderProcessFaultTests.sleep(10);
			}
			return (System.nanoTime() - healed) / 1_000_000;
		}
		finally {
			client.shutdown();
		}
	}

}
