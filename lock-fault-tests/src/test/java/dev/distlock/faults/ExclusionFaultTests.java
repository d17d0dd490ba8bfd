package dev.distlock.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Mutual exclusion under load: processes with threads that take a few keys in turn, every
 * critical section checking the exclusive marker and writing the fenced ledger. Through
 * the proxy with 50 ms latency and every connection reset now and then (scenario e), and
 * a bounded soak on the plain network (scenario f): zero overlaps, zero rejected writes.
 *
 * @author Distributed Lock team
 */
@Tag("faults")
@Tag("server")
@TestInstance(Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExclusionFaultTests extends AbstractRedisAndPostgresFaultTests {

	@ParameterizedTest
	@EnumSource(names = { "REDIS", "POSTGRESQL" })
	void latencyAndResetsKeepExclusion(Stores store) {
		try (FaultProxy proxy = new FaultProxy(port(store))) {
			proxy.latency(Duration.ofMillis(50));
			List<NodeProcess> nodes = start("e-" + store, store, proxy.port(), 2);
			try {
				String keys = "latency-" + store.name().toLowerCase();
				long duration = 10_000;
				nodes.forEach((node) -> node.send("soak tag=s keys=" + keys + " threads=4 duration=" + duration
						+ " lease=2000 wait=3000 work=5"));
				int resets = 0;
				long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(duration - 1000);
				while (System.nanoTime() - end < 0 && resets < 4) {
					HolderProcessFaultTests.sleep(2000);
					proxy.resetAll();
					resets++;
				}
				Totals totals = totals(nodes, Duration.ofMillis(duration + 30_000));
				Figures.record("e. 50 ms latency + " + resets + " resets of every connection (" + store + ")",
						"overlaps / rejected fenced writes (acquisitions; lost and told; store errors)",
						totals.overlaps + " / " + totals.rejected + " (" + totals.acquired + "; " + totals.lost + "; "
								+ totals.errors + ")",
						"0 / 0");
				assertThat(totals.acquired).isPositive();
				assertThat(totals.overlaps).as("overlaps").isZero();
				assertThat(totals.rejected).as("rejected fenced writes").isZero();
			}
			finally {
				nodes.forEach(NodeProcess::close);
			}
		}
	}

	@ParameterizedTest
	@EnumSource(names = { "REDIS", "POSTGRESQL" })
	void soakWithAnOverlapDetector(Stores store) {
		int processes = (store == Stores.REDIS) ? 3 : 2;
		long duration = (store == Stores.REDIS) ? 20_000 : 12_000;
		List<NodeProcess> nodes = start("f-" + store, store, port(store), processes);
		try {
			String prefix = "soak-" + store.name().toLowerCase();
			nodes.forEach((node) -> node.send("soak tag=s keys=" + prefix + "-1," + prefix + "-2 threads=8 duration="
					+ duration + " lease=5000 wait=5000 work=1"));
			Totals totals = totals(nodes, Duration.ofMillis(duration + 30_000));
			Figures.record(
					"f. soak " + processes + " processes x 8 threads x " + duration / 1000 + " s, 2 keys (" + store
							+ ")",
					"overlaps / rejected fenced writes (acquisitions; not acquired; lost and told; errors)",
					totals.overlaps + " / " + totals.rejected + " (" + totals.acquired + "; " + totals.notAcquired
							+ "; " + totals.lost + "; " + totals.errors + ")",
					"0 / 0");
			assertThat(totals.acquired).isPositive();
			assertThat(totals.overlaps).as("overlaps").isZero();
			assertThat(totals.rejected).as("rejected fenced writes").isZero();
		}
		finally {
			nodes.forEach(NodeProcess::close);
		}
	}

	private static List<NodeProcess> start(String name, Stores store, int port, int count) {
		List<NodeProcess> nodes = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				nodes.add(NodeProcess.start(name + "-" + i, store.node(port)));
			}
			return nodes;
		}
		catch (RuntimeException | Error ex) {
			nodes.forEach(NodeProcess::close);
			throw ex;
		}
	}

	private static Totals totals(List<NodeProcess> nodes, Duration timeout) {
		Totals totals = new Totals();
		for (NodeProcess node : nodes) {
			Event soak = node.await("SOAK", "s", timeout);
			totals.acquired += soak.getLong("acquired");
			totals.overlaps += soak.getLong("overlaps");
			totals.rejected += soak.getLong("rejected");
			totals.errors += soak.getLong("errors");
			totals.notAcquired += soak.getLong("notAcquired");
			totals.lost += soak.getLong("lost");
		}
		return totals;
	}

	private static final class Totals {

		long acquired;

		long overlaps;

		long rejected;

		long errors;

		long notAcquired;

		long lost;

	}

}
