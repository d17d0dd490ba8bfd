package dev.distlock.benchmarks.compare;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.distlock.core.AcquireResult;
import dev.distlock.core.LeaseRenewal;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockWaitListener;
import dev.distlock.core.WaitSubscription;
import dev.distlock.memory.InMemoryLockStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Scenarios}, on the in-memory store and on a lock that does not lock,
 * so that the harness's own checks are known to work before they judge a real store.
 */
class ScenariosTests {

	private final BenchSettings settings = BenchSettings.read(Map.ofEntries(entry("bench.warmup", "50ms"),
			entry("bench.measure", "300ms"), entry("bench.handoffs", "20"), entry("bench.handoff-settle", "1ms"),
			entry("bench.handoff-time", "2s"), entry("bench.contended-hold", "100us"), entry("bench.idle-nodes", "3"),
			entry("bench.renewal.leases", "200"), entry("bench.renewal.lease-time", "600ms"),
			entry("bench.renewal.periods", "2"), entry("bench.waiters.callers", "300"),
			entry("bench.waiters.hold", "50us"), entry("bench.waiters.wait-time", "30s"))::get, (name) -> null);

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
	void contendedMeasuresEveryWaitAndHold() {
		CellResult result = this.scenarios.run(inMemory(), new Scenario(Scenario.Kind.CONTENDED, 4));
		assertThat(result.error()).isNull();
		assertThat(result.waits().getTotalCount()).isEqualTo(result.operations());
		assertThat(result.holds().getTotalCount()).isEqualTo(result.operations());
		// Each holder keeps the lock busy for bench.contended-hold.
		assertThat(result.holds().getMinValue()).isGreaterThanOrEqualTo(Duration.ofNanos(100_000).toNanos());
		assertThat(result.waits().getMaxValue()).isGreaterThan(0);
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
	void aCellWithoutACycleInItsWindowFailsRatherThanReadingAsZero() {
		Contender slow = new Contender("slow", "slow", Contender.Store.REDIS, Contender.Role.FLOOR, "never", () -> {
			return new LockClient() {

				@Override
				public @Nullable Held tryAcquire(String key, Duration waitTime) throws InterruptedException {
					// Longer than warm-up and measured window together.
					Thread.sleep(600);
					return () -> {
					};
				}

				@Override
				public void close() {
				}

			};
		});
		CellResult result = this.scenarios.run(slow, new Scenario(Scenario.Kind.UNCONTENDED, 1));
		assertThat(result.error()).isEqualTo("IllegalStateException: No cycle started within the measured window");
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

	@Test
	void idleSubscribersMeasuresBothHalvesInOneCell() {
		CellResult result = this.scenarios.run(inMemory(), new Scenario(Scenario.Kind.IDLE_SUBSCRIBERS, 1, 3));
		assertThat(result.error()).isNull();
		assertThat(result.figure(Scenarios.IDLE_ONE)).isPositive();
		assertThat(result.figure(Scenarios.IDLE_MANY)).isPositive();
		assertThat(result.figure(Scenarios.IDLE_RATIO))
			.isEqualTo(result.figure(Scenarios.IDLE_MANY) / result.figure(Scenarios.IDLE_ONE));
	}

	@Test
	void renewalCountsRoundTripsOverTheWindowAndNoLeaseIsLost() {
		CountingStore store = new CountingStore(new InMemoryLockStore());
		Contender contender = new Contender("in-memory", "in-memory", Contender.Store.REDIS, Contender.Role.OURS, "",
				() -> new OurContenders.TemplateClient(new OurContenders.RegistryNode(store, () -> {
				}, () -> store), Duration.ofSeconds(30), this.settings.renewal().leaseTime()));
		CellResult result = this.scenarios.run(contender, new Scenario(Scenario.Kind.RENEWAL, 1, 200));
		assertThat(result.error()).isNull();
		assertThat(result.figure(Scenarios.RENEWAL_HELD)).isEqualTo(200);
		// The window (1.2 s) is longer than the lease (0.6 s): held means renewed.
		assertThat(result.figure(Scenarios.RENEWAL_LOST)).isZero();
		assertThat(result.figure(Scenarios.RENEWAL_ROUND_TRIPS)).isPositive();
		assertThat(result.figure(Scenarios.RENEWAL_CPU)).isPositive();
		assertThat(store.renewed.get()).isGreaterThanOrEqualTo(200 * 2);
	}

	@Test
	void renewalCountsLeasesThatWereNotHeldAtTheEndAsLost() {
		Contender forgetful = new Contender("forgetful", "forgetful", Contender.Store.REDIS, Contender.Role.PEER, "",
				ForgetfulRenewals::new);
		CellResult result = this.scenarios.run(forgetful, new Scenario(Scenario.Kind.RENEWAL, 1, 200));
		assertThat(result.error()).isNull();
		assertThat(result.figure(Scenarios.RENEWAL_LOST)).isEqualTo(20);
		assertThat(result.figure(Scenarios.RENEWAL_ROUND_TRIPS)).isZero();
	}

	@Test
	void waitersAreAllServedOneAtATimeThroughExecuteAsync() {
		CellResult result = this.scenarios.run(nonBlocking(OurContenders.AsyncTemplateClient::new),
				new Scenario(Scenario.Kind.WAITERS, 1, 300));
		assertWaitersServed(result);
	}

	@Test
	void waitersAreAllServedOneAtATimeThroughTheReactiveTemplate() {
		CellResult result = this.scenarios.run(nonBlocking(OurContenders.ReactiveClient::new),
				new Scenario(Scenario.Kind.WAITERS, 1, 300));
		assertWaitersServed(result);
	}

	private static void assertWaitersServed(CellResult result) {
		assertThat(result.error()).isNull();
		assertThat(result.operations()).isEqualTo(300);
		assertThat(result.notAcquired()).isZero();
		assertThat(result.overlaps()).isZero();
		assertThat(result.figure(Scenarios.WAITERS_SERVE_SECONDS)).isPositive();
		// The template's timer, at least, is a library thread.
		assertThat(result.figure(Scenarios.WAITERS_LIBRARY_MAX)).isPositive();
		assertThat(result.libraryThreads()).containsKey("distributed-lock-timer");
	}

	@Test
	void waitersWhoFailAreCountedAndTheFirstFailureIsNoted() {
		Contender failing = new Contender("failing", "failing", Contender.Store.REDIS, Contender.Role.PEER, "",
				FailingWaiters::new);
		CellResult result = this.scenarios.run(failing, new Scenario(Scenario.Kind.WAITERS, 1, 300));
		assertThat(result.error()).isNull();
		assertThat(result.operations()).isEqualTo(150);
		assertThat(result.figure(Scenarios.WAITERS_FAILED)).isEqualTo(150);
		assertThat(result.notes())
			.containsExactly("150 callers failed, the first with IllegalStateException: store " + "did not answer");
	}

	@Test
	void waitersFailALockThatLetsCallersInWhileItIsHeld() {
		Contender broken = new Contender("no lock", "none", Contender.Store.REDIS, Contender.Role.PEER, "never",
				NoLock::new);
		CellResult result = this.scenarios.run(broken, new Scenario(Scenario.Kind.WAITERS, 1, 300));
		assertThat(result.error()).contains("callers were served while the holder held the lock");
	}

	@Test
	void asyncUncontendedDrivesANonBlockingClientWithChainsOfCallers() {
		CellResult result = this.scenarios.run(nonBlocking(OurContenders.ReactiveClient::new),
				new Scenario(Scenario.Kind.ASYNC_UNCONTENDED, 4));
		assertThat(result.error()).isNull();
		assertThat(result.operations()).isPositive();
		assertThat(result.notAcquired()).isZero();
		assertThat(result.latency().getTotalCount()).isEqualTo(result.operations());
	}

	@Test
	void asyncUncontendedDrivesABlockingClientWithThreads() {
		CellResult result = this.scenarios.run(inMemory(), new Scenario(Scenario.Kind.ASYNC_UNCONTENDED, 4));
		assertThat(result.error()).isNull();
		assertThat(result.operations()).isPositive();
	}

	private Contender nonBlocking(
			java.util.function.BiFunction<OurContenders.RegistryNode, Duration, LockClient> client) {
		InMemoryLockStore store = new InMemoryLockStore();
		return new Contender("in-memory", "in-memory", Contender.Store.REDIS, Contender.Role.OURS, "wakes on release",
				() -> client.apply(new OurContenders.RegistryNode(store, () -> {
				}), Duration.ofSeconds(30)));
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

	/**
	 * A lock that lets everyone in. Holders keep it busy for {@code bench.contended-hold}
	 * and never yield, so that a holder descheduled inside its section overlaps with the
	 * next also on a machine that runs one of these threads at a time.
	 */
	static final class NoLock implements LockClient {

		@Override
		public @Nullable Held tryAcquire(String key, Duration waitTime) {
			return () -> {
			};
		}

		@Override
		public boolean isNonBlocking() {
			return true;
		}

		@Override
		public CompletionStage<Boolean> runLockedAsync(String key, Duration waitTime,
				Supplier<? extends CompletionStage<?>> section) {
			return section.get().thenApply((done) -> true);
		}

		@Override
		public void close() {
		}

	}

	/**
	 * A real in-memory lock whose every other waiting caller fails, as callers of a store
	 * that cannot keep up do.
	 */
	static final class FailingWaiters implements LockClient {

		private final OurContenders.AsyncTemplateClient client = new OurContenders.AsyncTemplateClient(
				new OurContenders.RegistryNode(new InMemoryLockStore(), () -> {
				}), Duration.ofSeconds(30));

		private final AtomicInteger calls = new AtomicInteger();

		@Override
		public @Nullable Held tryAcquire(String key, Duration waitTime) {
			return this.client.tryAcquire(key, waitTime);
		}

		@Override
		public boolean isNonBlocking() {
			return true;
		}

		@Override
		public CompletionStage<Boolean> runLockedAsync(String key, Duration waitTime,
				Supplier<? extends CompletionStage<?>> section) {
			// The first two calls are the scenario's own cycle and holder.
			int call = this.calls.incrementAndGet();
			if (call > 2 && call % 2 == 0) {
				return CompletableFuture.failedFuture(new IllegalStateException("store did not answer"));
			}
			return this.client.runLockedAsync(key, waitTime, section);
		}

		@Override
		public void close() {
			this.client.close();
		}

	}

	/**
	 * Renews nothing and forgets every tenth lock: the scenario must count those as lost.
	 */
	static final class ForgetfulRenewals implements LockClient {

		private final AtomicInteger acquired = new AtomicInteger();

		@Override
		public @Nullable Held tryAcquire(String key, Duration waitTime) {
			return () -> {
			};
		}

		@Override
		public @Nullable Held tryAcquireRenewing(String key) {
			boolean forgotten = this.acquired.incrementAndGet() % 10 == 0;
			return new Held() {

				@Override
				public void release() {
				}

				@Override
				public Boolean isHeld() {
					return !forgotten;
				}

			};
		}

		@Override
		public RoundTripCounter roundTrips() {
			return new RoundTripCounter() {

				@Override
				public Counts read() {
					return new Counts(0, 0);
				}

				@Override
				public String source() {
					return "nothing";
				}

			};
		}

		@Override
		public void close() {
		}

	}

	/**
	 * A real in-memory store whose calls are counted, as the round trips of a remote
	 * store would be.
	 */
	static final class CountingStore implements LockStore, RoundTripCounter {

		private final InMemoryLockStore store;

		private final AtomicLong calls = new AtomicLong();

		final AtomicLong renewed = new AtomicLong();

		CountingStore(InMemoryLockStore store) {
			this.store = store;
		}

		@Override
		public String storeName() {
			return this.store.storeName();
		}

		@Override
		public CompletionStage<AcquireResult> tryAcquire(LockRequest request) {
			this.calls.incrementAndGet();
			return this.store.tryAcquire(request);
		}

		@Override
		public CompletionStage<Boolean> release(LockKey key, String owner) {
			this.calls.incrementAndGet();
			return this.store.release(key, owner);
		}

		@Override
		public CompletionStage<List<Boolean>> renew(List<LeaseRenewal> renewals) {
			this.calls.incrementAndGet();
			this.renewed.addAndGet(renewals.size());
			return this.store.renew(renewals);
		}

		@Override
		public CompletionStage<Boolean> forceRelease(LockKey key) {
			this.calls.incrementAndGet();
			return this.store.forceRelease(key);
		}

		@Override
		public CompletionStage<Boolean> abandon(LockRequest request) {
			this.calls.incrementAndGet();
			return this.store.abandon(request);
		}

		@Override
		public WaitSubscription subscribe(LockKey key, String owner, Runnable onRelease) {
			return this.store.subscribe(key, owner, onRelease);
		}

		@Override
		public WaitSubscription subscribe(LockKey key, String owner, LockWaitListener listener) {
			return this.store.subscribe(key, owner, listener);
		}

		@Override
		public Duration pollInterval() {
			return this.store.pollInterval();
		}

		@Override
		public void checkAvailability() {
			this.store.checkAvailability();
		}

		@Override
		public Counts read() {
			long count = this.calls.get();
			return new Counts(count, count);
		}

		@Override
		public String source() {
			return "store calls";
		}

	}

}
