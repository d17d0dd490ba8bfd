package dev.distlock.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.distlock.memory.InMemoryLockStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DistributedLockLifecycle}: shutdown waits for running locked work and
 * for its release to reach the store, before the store may close.
 *
 * @author Distributed Lock team
 */
class DistributedLockLifecycleTests {

	private final LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

	private final InMemoryLockStore memory = new InMemoryLockStore();

	private final AtomicBoolean storeClosed = new AtomicBoolean();

	private volatile long releaseDelayMillis;

	/**
	 * A store whose release takes a while to reach the server, and that refuses calls
	 * once it is closed, as a connection factory destroyed after the lock lifecycle.
	 */
	private final FaultyLockStore store = new FaultyLockStore(this.memory) {

		@Override
		public CompletionStage<Boolean> release(LockKey key, String owner) {
			Executor later = CompletableFuture.delayedExecutor(DistributedLockLifecycleTests.this.releaseDelayMillis,
					TimeUnit.MILLISECONDS);
			return CompletableFuture.supplyAsync(() -> null, later).thenCompose((ignored) -> {
				if (DistributedLockLifecycleTests.this.storeClosed.get()) {
					return CompletableFuture.failedFuture(new LockStoreException("Connection factory destroyed", null));
				}
				return super.release(key, owner);
			});
		}

	};

	private final LockTemplate template = LockTemplate.builder(this.store).scheduler(this.scheduler).build();

	private final DistributedLockLifecycle lifecycle = new DistributedLockLifecycle(this.template,
			Duration.ofSeconds(10));

	@AfterEach
	void close() {
		this.scheduler.close();
	}

	@Test
	void shutdownEndsOnlyOnceTheReleaseOfARunningSectionHasReachedTheStore() throws Exception {
		LockKey key = LockKey.of("lifecycle", "release");
		this.lifecycle.start();
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		CompletableFuture<String> section = CompletableFuture
			.supplyAsync(() -> this.template.execute(key, LockOptions.builder().build(), () -> {
				running.countDown();
				await(finish);
				return "done";
			}));
		assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
		// The release answers late, as over a slow network: shutdown must wait for it.
		this.releaseDelayMillis = 500;
		CompletableFuture<Void> stopped = CompletableFuture.runAsync(this.lifecycle::stop);
		Thread.sleep(200);
		assertThat(stopped).as("shutdown waits for the running section").isNotDone();
		finish.countDown();
		stopped.get(5, TimeUnit.SECONDS);
		// The lifecycle has stopped: the application closes the store's connections now.
		this.storeClosed.set(true);
		assertThat(section.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(this.store.releaseCalls()).isEqualTo(1);
		assertThat(this.memory
			.tryAcquire(
					new LockRequest(key, "next", Duration.ofSeconds(30), Duration.ZERO, false, Duration.ofSeconds(5)))
			.toCompletableFuture()
			.join()
			.isAcquired()).as("the lock was released before shutdown ended, not left to expire").isTrue();
	}

	@Test
	void shutdownRefusesNewAcquisitions() {
		this.lifecycle.start();
		this.lifecycle.stop();
		assertThat(this.template.tryAcquire(LockKey.of("lifecycle", "late"), LockOptions.builder().build())).isEmpty();
		assertThat(this.store.acquireCalls()).isZero();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
