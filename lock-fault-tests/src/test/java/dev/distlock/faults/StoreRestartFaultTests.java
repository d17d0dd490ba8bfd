package dev.distlock.faults;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.distlock.faults.NodeProcess.Event;
import dev.distlock.faults.servers.PrivatePostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store's server restarted while a holder in another process holds a renewed lock and
 * a third waits (scenario c): within a lease the holder keeps it or is told it lost it,
 * and the waiter never holds it at the same time.
 *
 * @author Distributed Lock team
 */
@Tag("faults")
@Tag("server")
@TestInstance(Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StoreRestartFaultTests extends AbstractRedisAndPostgresFaultTests {

	private static final long LEASE = 3000;

	@Test
	void redisRestartedWithItsDataMidHold() {
		restartMidHold(Stores.REDIS, this.redis.port(), "Redis restarted with its data (SHUTDOWN SAVE)",
				this.redis::restartKeepingData);
	}

	@Test
	void postgresRestartedMidHold() {
		PrivatePostgres postgres = FaultEnvironment.postgres();
		restartMidHold(Stores.POSTGRESQL, postgres.port(), "PostgreSQL stopped and started", () -> {
			postgres.stop();
			postgres.startAgain();
		});
	}

	@Test
	void redisRestartedEmptyMidHoldTellsTheHolderAndHandsOutAHigherToken() {
		String key = "restart-empty";
		try (NodeProcess holder = NodeProcess.start("c-holder-redis-empty", Stores.REDIS.node(this.redis.port()));
				NodeProcess taker = NodeProcess.start("c-taker-redis-empty", Stores.REDIS.node(this.redis.port()))) {
			holder.send("hold tag=h key=" + key + " lease=" + LEASE + " wait=0 hold=15000 marker=false");
			long holderToken = holder.await("ACQUIRED", "h", Duration.ofSeconds(10)).getLong("token");
			taker.send("hold tag=t key=" + key + " lease=" + LEASE + " wait=20000 hold=200 marker=false");
			taker.await("ATTEMPT", "t", Duration.ofSeconds(5));
			HolderProcessFaultTests.sleep(300);
			long restarted = System.nanoTime();
			// kill -9 and start again without persistence: the lock and its counter are
			// gone, which no client can see coming; fencing is what protects here.
			this.redis.restart();
			Event told = holder.await("TOLD", "h", Duration.ofMillis(LEASE + 2000));
			Event taken = taker.awaitAny("t", Duration.ofSeconds(20), "ACQUIRED", "FAILED");
			assertThat(taken.type()).as(taken.toString()).isEqualTo("ACQUIRED");
			assertThat(taken.getLong("token")).as("token after Redis lost its counters").isGreaterThan(holderToken);
			long toldAfter = (told.nanos() - restarted) / 1_000_000;
			long bothBelieved = Math.max(0, told.nanos() - taken.nanos()) / 1_000_000;
			Figures.record("c. Redis restarted empty (kill -9, no persistence)", "holder told after the restart",
					toldAfter + " ms; both believed they held for " + bothBelieved + " ms (fencing protects)",
					"told < lease (" + LEASE + " ms)");
			assertThat(toldAfter).as("holder told after Redis lost the lock").isLessThan(LEASE);
		}
	}

	private static long overlaps(NodeProcess node) {
		return node.events().stream().filter((event) -> event.type().equals("OVERLAP")).count();
	}

	private void restartMidHold(Stores store, int port, String what, Runnable restart) {
		String key = "restart-" + store.name().toLowerCase();
		try (NodeProcess holder = NodeProcess.start("c-holder-" + store, store.node(port));
				NodeProcess taker = NodeProcess.start("c-taker-" + store, store.node(port))) {
			holder.send("hold tag=h key=" + key + " lease=" + LEASE + " wait=0 hold=6000");
			holder.await("ACQUIRED", "h", Duration.ofSeconds(10));
			taker.send("hold tag=t key=" + key + " lease=" + LEASE + " wait=30000 hold=200");
			taker.await("ATTEMPT", "t", Duration.ofSeconds(5));
			HolderProcessFaultTests.sleep(500);
			long down = System.nanoTime();
			restart.run();
			long downtime = (System.nanoTime() - down) / 1_000_000;
			// A waiter whose attempt meets the server down fails with LockStoreException
			// (the wait ends there); the application tries again, as a user's would.
			Event taken = taker.awaitAny("t", Duration.ofSeconds(30), "ACQUIRED", "FAILED");
			int retries = 0;
			while (taken.type().equals("FAILED") && retries < 50) {
				assertThat(taken.get("exception")).isEqualTo("LockStoreException");
				HolderProcessFaultTests.sleep(100);
				retries++;
				taker.send("hold tag=t" + retries + " key=" + key + " lease=" + LEASE + " wait=30000 hold=200");
				taken = taker.awaitAny("t" + retries, Duration.ofSeconds(30), "ACQUIRED", "FAILED");
			}
			assertThat(taken.type()).as(taken.toString()).isEqualTo("ACQUIRED");
			Event held = holder.await("HELD", "h", Duration.ofSeconds(20));
			boolean kept = Boolean.parseBoolean(held.get("valid"));
			long holderEnd = held.nanos();
			if (!kept) {
				holderEnd = holder.await("TOLD", "h", Duration.ofSeconds(1)).nanos();
			}
			Figures.record("c. " + what + " mid-hold", "holder " + (kept ? "kept" : "was told it lost") + " the lease",
					"down " + downtime + " ms; overlaps " + overlaps(taker) + "; waiter retried " + retries + "x",
					"lease " + LEASE + " ms; 0 overlaps");
			assertThat(overlaps(taker)).as("overlaps").isZero();
			assertThat(taken.nanos()).as("the waiter acquired only once the holder was done or told")
				.isGreaterThanOrEqualTo(holderEnd);
			if (downtime < LEASE / 2) {
				assertThat(kept).as("a restart of %d ms within a lease of %d ms keeps the lease", downtime, LEASE)
					.isTrue();
			}
		}
	}

}
