package dev.distlock.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.distlock.memory.InMemoryLockStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blocked caller never waits for ever, even when the library's one timer thread stops
 * running its tasks (the wait's deadline, the retries and the bounds of store calls are
 * its tasks): after its wait time, the store time-out and a margin, the caller gets a
 * {@link LockStoreException} that says so, and the acquisition is cancelled, so the lock
 * is not taken behind the caller's back once the timer runs again; closing a lease whose
 * release does not answer returns after the store time-out and the margin.
 *
 * @author Distributed Lock team
 */
class StuckTimerTests {

	private final LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

	private final CountDownLatch unstick = new CountDownLatch(1);

	private final InMemoryLockStore store = new InMemoryLockStore();

	private final LockTemplate template = LockTemplate.builder(this.store)
		.scheduler(this.scheduler)
		.storeTimeout(Duration.ofMillis(200))
		.build();

	@AfterEach
	void close() {
		this.unstick.countDown();
		this.scheduler.close();
	}

	@Test
	void aCallerWaitingOnAStuckTimerGetsAnErrorAfterItsWaitAndTheStoreTimeOut() throws Exception {
		LockKey key = LockKey.of("stuck", 1);
		LockRequest elsewhere = new LockRequest(key, "another-instance", Duration.ofMinutes(1), Duration.ZERO, false,
				Duration.ofSeconds(5));
		assertThat(this.store.tryAcquire(elsewhere).toCompletableFuture().join().isAcquired()).isTrue();
		stickTimer();
		LockOptions options = LockOptions.builder()
			.waitTime(Duration.ofMillis(300))
			.leaseTime(Duration.ofSeconds(30))
			.autoRenew(false)
			.build();
		long started = System.nanoTime();
		CompletableFuture<Lease> acquiring = CompletableFuture.supplyAsync(() -> this.template.acquire(key, options));
		assertThat(acquiring).failsWithin(Duration.ofSeconds(20))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(LockStoreException.class)
			.withMessageContaining("Acquiring lock 'stuck:1' did not end in")
			.withMessageContaining("the library's timer does not run");
		long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		// The wait (300 ms), the store time-out (200 ms) and the 2 s margin.
		assertThat(tookMillis).isBetween(2_400L, 15_000L);
		// Released elsewhere, the lock is free; once the timer runs again, the cancelled
		// acquisition does not take it.
		this.store.forceRelease(key).toCompletableFuture().join();
		this.unstick.countDown();
		Thread.sleep(300);
		LockRequest probe = new LockRequest(key, "probe", Duration.ofSeconds(5), Duration.ZERO, false,
				Duration.ofSeconds(5));
		assertThat(this.store.tryAcquire(probe).toCompletableFuture().join().isAcquired()).isTrue();
	}

	@Test
	void closingALeaseWhoseReleaseNeverAnswersReturnsAlsoOnAStuckTimer() {
		FaultyLockStore silent = new FaultyLockStore(new InMemoryLockStore()) {

			@Override
			public CompletionStage<Boolean> release(LockKey key, String owner) {
				super.release(key, owner);
				return new CompletableFuture<>();
			}

		};
		LockTemplate silentTemplate = LockTemplate.builder(silent)
			.scheduler(this.scheduler)
			.storeTimeout(Duration.ofMillis(200))
			.build();
		Lease lease = silentTemplate.acquire(LockKey.of("stuck", 2),
				LockOptions.builder().leaseTime(Duration.ofSeconds(30)).autoRenew(false).build());
		stickTimer();
		long started = System.nanoTime();
		assertThat(CompletableFuture.runAsync(lease::close)).succeedsWithin(Duration.ofSeconds(20));
		long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		// The store time-out (200 ms) and the 2 s margin.
		assertThat(tookMillis).isBetween(2_100L, 15_000L);
		assertThat(silent.releaseCalls()).isOne();
	}

	private void stickTimer() {
		this.scheduler.schedule(() -> {
			try {
				this.unstick.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, 0);
	}

}
