package dev.distlock.benchmarks.compare;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.distlock.memory.InMemoryLockStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Scenarios}, on the in-memory store and on a lock that does not lock,
 * so that the harness's own checks are known to work before they judge a real store.
 */
class ScenariosTests {

	private final BenchSettings settings = BenchSettings.read(Map.of("bench.warmup", "50ms", "bench.measure", "300ms",
			"bench.handoffs", "20", "bench.handoff-settle", "1ms", "bench.handoff-time", "2s")::get, (name) -> null);

	private final Scenarios scenarios = new Scenarios(this.settings);

	@Test
	void uncontendedCountsCyclesOnDistinctKeys() {
		CellResult result = this.scenarios.run(inMemory(), new Scenario(Scenario.Kind.UNCONTENDED, 4));
		assertThat(result.error()).isNull();
		assertThat(result.operations()).isPositive();
		assertThat(result.latency().getTotalCount()).isEqualTo(result.operations());
		assertThat(result.notAcquired()).isZero();
		assertThat(result.throughput()).isPositive();
	}

	@Test
	void contendedFindsNoOverlapWithARealLock() {
		CellResult result = this.scenarios.run(inMemory(), new Scenario(Scenario.Kind.CONTENDED, 4));
		assertThat(result.error()).isNull();
		assertThat(result.operations()).isPositive();
		assertThat(result.overlaps()).isZero();
	}

	@Test
	void contendedCountsOverlapsOfALockThatDoesNotLock() {
		Contender broken = new Contender("no lock", "none", Contender.Store.REDIS, Contender.Role.PEER, "never",
				NoLock::new);
		CellResult result = this.scenarios.run(broken, new Scenario(Scenario.Kind.CONTENDED, 4));
		assertThat(result.error()).isNull();
		assertThat(result.overlaps()).isPositive();
	}

	@Test
	void handoffMeasuresEveryTurnBetweenTwoNodes() {
		CellResult result = this.scenarios.run(inMemory(), new Scenario(Scenario.Kind.HANDOFF, 2));
		assertThat(result.error()).isNull();
		assertThat(result.handoff().getTotalCount()).isEqualTo(20);
		// Generous: the waiter is woken by the release, far sooner than a second.
		assertThat(result.handoff().getMaxValue()).isLessThan(Duration.ofSeconds(1).toNanos());
	}

	@Test
	void failureOfAContenderIsReportedNotThrown() {
		Contender failing = new Contender("failing", "failing", Contender.Store.REDIS, Contender.Role.PEER, "never",
				() -> {
					throw new IllegalStateException("no server");
				});
		CellResult result = this.scenarios.run(failing, new Scenario(Scenario.Kind.UNCONTENDED, 1));
		assertThat(result.error()).isEqualTo("IllegalStateException: no server");
	}

	/**
	 * Both nodes share one in-memory registry, as two application instances share a
	 * store.
	 */
	private Contender inMemory() {
		InMemoryLockStore registry = new InMemoryLockStore();
		return new Contender("in-memory", "in-memory", Contender.Store.REDIS, Contender.Role.OURS, "wakes on release",
				() -> new OurContenders.RegistryClient(new OurContenders.RegistryNode(registry, () -> {
				}), Duration.ofSeconds(30)));
	}

	static final class NoLock implements LockClient {

		@Override
		public @Nullable Held tryAcquire(String key, Duration waitTime) {
			Thread.yield();
			return Thread::yield;
		}

		@Override
		public void close() {
		}

	}

}
