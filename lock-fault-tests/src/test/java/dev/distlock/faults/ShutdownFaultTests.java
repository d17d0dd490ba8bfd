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
 * Shutdown under load (scenario g): a process whose {@code @DistributedLock} method runs
 * gets {@code SIGTERM}, so Spring Boot closes its context. Another process must not
 * acquire the key before the method ends (the lease, shorter than the method, keeps being
 * renewed within {@code distributed-lock.shutdown.timeout}), and gets it promptly once
 * the method ended and released it, before the store's connections closed.
 *
 * @author Distributed Lock team
 */
@Tag("faults")
@Tag("server")
@TestInstance(Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ShutdownFaultTests extends AbstractRedisAndPostgresFaultTests {

	private static final long METHOD = 4000;

	@ParameterizedTest
	@EnumSource(names = { "REDIS", "POSTGRESQL" })
	void sigtermWhileALockedMethodRunsWaitsForItAndReleasesBeforeTheStoreCloses(Stores store) {
		String key = "shutdown-" + store.name().toLowerCase();
		int port = port(store);
		Map<String, String> properties = store.node(port);
		properties.put("faults.method-lease-time", "2s");
		properties.put("distributed-lock.shutdown.timeout", "10s");
		try (NodeProcess stopping = NodeProcess.start("g-stopping-" + store, properties);
				NodeProcess other = NodeProcess.start("g-other-" + store, store.node(port))) {
			stopping.send("method tag=m key=" + key + " hold=" + METHOD);
			long token = stopping.await("METHOD_START", "m", Duration.ofSeconds(10)).getLong("token");
			other.send("hold tag=t key=" + key + " lease=2000 wait=20000 hold=100");
			other.await("ATTEMPT", "t", Duration.ofSeconds(5));
			HolderProcessFaultTests.sleep(300);
			long terminated = System.nanoTime();
			stopping.terminate();
			stopping.await("CLOSING", "node", Duration.ofSeconds(5));
			Event ended = stopping.await("METHOD_END", "m", Duration.ofSeconds(15));
			Event taken = other.awaitAny("t", Duration.ofSeconds(20), "ACQUIRED", "FAILED");
			assertThat(taken.type()).as(taken.toString()).isEqualTo("ACQUIRED");
			assertThat(stopping.waitForExit(Duration.ofSeconds(15))).as("the stopping process exited").isTrue();
			long handOff = (taken.nanos() - ended.nanos()) / 1_000_000;
			Figures.record("g. SIGTERM under a running locked method (" + store + ")",
					"method end to the other process acquiring",
					handOff + " ms (method ended " + (ended.nanos() - terminated) / 1_000_000 + " ms after SIGTERM)",
					"> 0 (never before the method ends); < 1000 ms");
			assertThat(ended.get("valid")).as("the lease stayed valid while the method ran").isEqualTo("true");
			assertThat(handOff).as("the other process acquired only after the method ended").isPositive();
			assertThat(handOff).as("released promptly after the method ended").isLessThan(1000);
			assertThat(taken.getLong("token")).isGreaterThan(token);
			assertThat(stopping.events("METHOD_RETURNED", "m")).as("the method returned normally").hasSize(1);
		}
	}

}
