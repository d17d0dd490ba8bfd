package dev.distlock.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.distlock.memory.InMemoryLockStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waiters of one JVM for a key held elsewhere, on a store that announces no releases (as
 * MariaDB and H2): only the longest waiter polls the store, the others are served by its
 * hand-over, and the next one takes over polling when the first gives up. Before, every
 * waiter polled at the poll interval, and two thousand of them kept the JDBC executor so
 * busy that the hand-over chain timed out.
 *
 * @author Distributed Lock team
 */
class LocalWaitersPollingTests {

	private static final Duration POLL = Duration.ofMillis(20);

	private final LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

	private final FaultyLockStore store = new FaultyLockStore(new InMemoryLockStore()) {

		@Override
		public WaitSubscription subscribe(LockKey key, String owner, Runnable onRelease) {
			return WaitSubscription.NONE;
		}

		@Override
		public Duration pollInterval() {
			return POLL;
		}

	};

	private final LockTemplate template = LockTemplate.builder(this.store).scheduler(this.scheduler).build();

	@AfterEach
	void close() {
		this.scheduler.close();
	}

	@Test
	void onlyTheLongestWaiterPollsAndTheOthersAreHandedTheLockInTurn() throws Exception {
		LockKey key = LockKey.of("polling", "hot");
		holdElsewhere(key);
		int callers = 200;
		AtomicInteger served = new AtomicInteger();
		List<CompletableFuture<Void>> results = new ArrayList<>();
		for (int i = 0; i < callers; i++) {
			results.add(this.template.executeAsync(key, options(Duration.ofSeconds(30)), () -> {
				served.incrementAndGet();
				return CompletableFuture.completedFuture(null);
			}));
		}
		Thread.sleep(300);
		int before = this.store.acquireCalls();
		Thread.sleep(1000);
		int polls = this.store.acquireCalls() - before;
		// One poller at 20 ms makes about 50 attempts a second; every waiter polling
		// would make 10,000.
		assertThat(polls).as("store attempts in one second by %d waiters", callers).isBetween(10, 150);
		assertThat(served).hasValue(0);
		this.store.forceRelease(key).toCompletableFuture().join();
		CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		assertThat(served).hasValue(callers);
	}

	@Test
	void whenTheLongestWaiterGivesUpTheNextPollsAtThePollInterval() throws Exception {
		LockKey key = LockKey.of("polling", "promoted");
		holdElsewhere(key);
		CompletableFuture<String> first = this.template.executeAsync(key, options(Duration.ofMillis(300)),
				() -> CompletableFuture.completedFuture("first"));
		Thread.sleep(50);
		CompletableFuture<String> second = this.template.executeAsync(key, options(Duration.ofSeconds(30)),
				() -> CompletableFuture.completedFuture("second"));
		assertThat(first).failsWithin(Duration.ofSeconds(5));
		Thread.sleep(200);
		this.store.forceRelease(key).toCompletableFuture().join();
		long released = System.nanoTime();
		assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("second");
		// Its own safety net is five seconds: only polling as the new first waiter
		// explains an answer within a few poll intervals.
		assertThat(Duration.ofNanos(System.nanoTime() - released)).isLessThan(Duration.ofMillis(1500));
	}

	private void holdElsewhere(LockKey key) {
		LockRequest request = new LockRequest(key, "another-instance", Duration.ofMinutes(1), Duration.ZERO, false,
				Duration.ofSeconds(5));
		assertThat(this.store.tryAcquire(request).toCompletableFuture().join().isAcquired()).isTrue();
	}

	private static LockOptions options(Duration wait) {
		return LockOptions.builder().waitTime(wait).leaseTime(Duration.ofSeconds(30)).autoRenew(false).build();
	}

}
