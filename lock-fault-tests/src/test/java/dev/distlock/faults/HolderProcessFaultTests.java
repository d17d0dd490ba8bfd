package dev.distlock.faults;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.distlock.faults.NodeProcess.Event;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holders that crash or freeze, as separate JVM processes: {@code kill -9} (scenario a)
 * and {@code SIGSTOP} past the lease (scenario b), on Redis and PostgreSQL.
 *
 * @author Distributed Lock team
 */
@Tag("faults")
@Tag("server")
@TestInstance(Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HolderProcessFaultTests extends AbstractRedisAndPostgresFaultTests {

	private static final long LEASE = 2000;

	@ParameterizedTest
	@EnumSource(names = { "REDIS", "POSTGRESQL" })
	void aKilledHolderIsTakenOverAfterItsLeaseWithAHigherToken(Stores store) {
		String key = "kill-" + store.name().toLowerCase();
		try (NodeProcess holder = NodeProcess.start("a-holder-" + store, node(store));
				NodeProcess taker = NodeProcess.start("a-taker-" + store, node(store))) {
			holder.send("hold tag=h key=" + key + " lease=" + LEASE + " wait=0 hold=60000 ledger=false");
			long holderToken = holder.await("ACQUIRED", "h", Duration.ofSeconds(10)).getLong("token");
			taker.send("hold tag=t key=" + key + " lease=" + LEASE + " wait=20000 hold=200 ledger=true");
			taker.await("ATTEMPT", "t", Duration.ofSeconds(5));
			sleep(500);
			assertThat(taker.events("ACQUIRED", "t")).as("taken while the holder lives").isEmpty();
			long killed = holder.kill9();
			Event taken = taker.awaitAny("t", Duration.ofSeconds(20), "ACQUIRED", "FAILED");
			assertThat(taken.type()).as(taken.toString()).isEqualTo("ACQUIRED");
			long takeover = (taken.nanos() - killed) / 1_000_000;
			Figures.record("a. kill -9 of the holder (" + store + ")", "takeover after the kill", takeover + " ms",
					"lease " + LEASE + " ms; < lease + 1.5 s");
			assertThat(taken.getLong("token")).as("the new holder's token").isGreaterThan(holderToken);
			assertThat(takeover).as("takeover after kill -9, lease %d ms", LEASE).isLessThan(LEASE + 1500);
			Event ledger = taker.await("LEDGER", "t", Duration.ofSeconds(10));
			assertThat(ledger.get("accepted")).isEqualTo("true");
			taker.await("RELEASED", "t", Duration.ofSeconds(10));
			assertThat(taker.events("OVERLAP", "t")).isEmpty();
		}
	}

	@ParameterizedTest
	@EnumSource(names = { "REDIS", "POSTGRESQL" })
	void aHolderFrozenPastItsLeaseIsToldOnResumeAndItsStaleWriteIsRejected(Stores store) {
		String key = "stop-" + store.name().toLowerCase();
		try (NodeProcess holder = NodeProcess.start("b-holder-" + store, node(store));
				NodeProcess taker = NodeProcess.start("b-taker-" + store, node(store))) {
			// The holder writes the ledger only when its hold ends, which the freeze
			// postpones beyond the lease; its marker is off: a frozen process keeps it.
			holder.send("hold tag=h key=" + key + " lease=" + LEASE + " wait=0 hold=1500 ledger=true marker=false");
			long holderToken = holder.await("ACQUIRED", "h", Duration.ofSeconds(10)).getLong("token");
			holder.pause();
			long paused = System.nanoTime();
			taker.send("hold tag=t key=" + key + " lease=" + LEASE + " wait=20000 hold=100 ledger=true");
			Event taken = taker.awaitAny("t", Duration.ofSeconds(20), "ACQUIRED", "FAILED");
			assertThat(taken.type()).as(taken.toString()).isEqualTo("ACQUIRED");
			assertThat(taken.getLong("token")).isGreaterThan(holderToken);
			assertThat(taker.await("LEDGER", "t", Duration.ofSeconds(10)).get("accepted")).isEqualTo("true");
			sleep(Math.max(0, TimeUnit.MILLISECONDS.toNanos(LEASE + 2000) - (System.nanoTime() - paused)) / 1_000_000);
			long resumed = System.nanoTime();
			holder.resume();
			Event told = holder.await("TOLD", "h", Duration.ofSeconds(10));
			long toldAfterResume = (told.nanos() - resumed) / 1_000_000;
			Figures.record("b. SIGSTOP of the holder past its lease (" + store + ")", "told after SIGCONT",
					toldAfterResume + " ms (" + told.get("afterExpiryMs") + " ms after its lease's end)", "< 1 s");
			assertThat(toldAfterResume).as("time from SIGCONT to the holder being told").isLessThan(1000);
			Event ledger = holder.await("LEDGER", "h", Duration.ofSeconds(10));
			assertThat(ledger.get("accepted")).as("the frozen holder's stale fenced write").isEqualTo("false");
			holder.await("LOCK_LOST_EXCEPTION", "h", Duration.ofSeconds(10));
			holder.await("LOST_EVENT", "node", Duration.ofSeconds(10));
			assertThat(FaultEnvironment.ledgerToken(key)).isEqualTo(taken.getLong("token"));
		}
	}

	private Map<String, String> node(Stores store) {
		return store.node(port(store));
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
