package dev.distlock.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.distlock.core.AcquireResult;
import dev.distlock.core.Lease;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockNotAcquiredException;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockTemplate;
import dev.distlock.core.LockWaitListener;
import dev.distlock.core.WaitSubscription;
import dev.distlock.memory.InMemoryLockStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RecordingLockStore} over the in-memory store, driven by a real
 * {@link LockTemplate}.
 *
 * @author Distributed Lock team
 */
class RecordingLockStoreTests {

	private static final LockKey KEY = LockKey.of("token_refresh", 42);

	private static final LockOptions FAIL_FAST = LockOptions.builder().waitTime(Duration.ZERO).build();

	private final LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

	private final InMemoryLockStore inMemory = new InMemoryLockStore();

	private final RecordingLockStore store = new RecordingLockStore(this.inMemory);

	private final LockTemplate template = LockTemplate.builder(this.store).scheduler(this.scheduler).build();

	@AfterEach
	void closeScheduler() {
		this.scheduler.close();
	}

	@Test
	void recordsEachAcquisitionWithItsFencingTokenUntilItIsReleased() {
		Lease lease = this.template.acquire(KEY, FAIL_FAST);
		assertThat(this.store.held()).singleElement().satisfies((held) -> {
			assertThat(held.key()).isEqualTo(KEY);
			assertThat(held.fencingToken()).isEqualTo(lease.fencingToken());
			assertThat(held.isHeld()).isTrue();
			assertThat(held.ending()).isNull();
		});
		lease.close();
		this.template.execute(KEY, FAIL_FAST, () -> "second");
		this.template.execute(LockKey.of("token_refresh", 7), FAIL_FAST, () -> "other user");
		assertThat(this.store.acquisitionCount(KEY)).isEqualTo(2);
		assertThat(this.store.lockedKeys()).containsExactly(KEY, LockKey.of("token_refresh", 7));
		assertThat(this.store.acquisitionsInNamespace("token_refresh")).hasSize(3);
		assertThat(this.store.held()).isEmpty();
		List<RecordedAcquisition> acquisitions = this.store.acquisitions(KEY);
		assertThat(acquisitions).extracting(RecordedAcquisition::ending)
			.containsOnly(RecordedAcquisition.Ending.RELEASED);
		assertThat(acquisitions).extracting(RecordedAcquisition::lost).containsOnly(false);
		assertThat(acquisitions.get(1).fencingToken()).isGreaterThan(acquisitions.get(0).fencingToken());
		assertThat(acquisitions.get(0).endedAt()).isAfterOrEqualTo(acquisitions.get(0).acquiredAt());
		assertThat(this.store.overlaps()).isEmpty();
	}

	@Test
	void holdersThatTakeTurnsUnderContentionDoNotOverlap() throws Exception {
		LockOptions waiting = LockOptions.builder().waitTime(Duration.ofSeconds(30)).build();
		AtomicInteger inside = new AtomicInteger();
		AtomicBoolean together = new AtomicBoolean();
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> calls = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				calls.add(threads.submit(() -> this.template.execute(KEY, waiting, () -> {
					together.compareAndSet(false, inside.incrementAndGet() > 1);
					Thread.sleep(2);
					inside.decrementAndGet();
					return null;
				})));
			}
			for (Future<?> call : calls) {
				call.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(together).as("the store let two callers in at once").isFalse();
		assertThat(this.store.acquisitionCount(KEY)).isEqualTo(40);
		assertThat(this.store.overlaps()).isEmpty();
		assertThat(this.store.held()).isEmpty();
		assertThat(this.store.notAcquiredCount(KEY)).as("every waiter got the lock in the end").isZero();
	}

	@Test
	void aLeaseThatExpiresUnderARunningHolderIsAnOverlap() throws Exception {
		LockOptions shortLease = LockOptions.builder()
			.waitTime(Duration.ZERO)
			.leaseTime(Duration.ofMillis(200))
			.autoRenew(false)
			.build();
		Lease first = this.template.acquire(KEY, shortLease);
		// The first holder is still at work when its lease runs out in the store.
		Lease second = elsewhere(() -> this.template.acquire(KEY,
				LockOptions.builder().waitTime(Duration.ofSeconds(10)).leaseTime(Duration.ofSeconds(30)).build()));
		first.close();
		elsewhere(() -> {
			second.close();
			return null;
		});
		assertThat(this.store.overlaps()).singleElement().satisfies((overlap) -> {
			assertThat(overlap.key()).isEqualTo(KEY);
			assertThat(overlap.earlier().fencingToken()).isEqualTo(first.fencingToken());
			assertThat(overlap.earlier().lost()).as("the release found the lock taken").isTrue();
			assertThat(overlap.later().fencingToken()).isEqualTo(second.fencingToken());
			assertThat(overlap.later().lost()).isFalse();
			assertThat(overlap.toString()).contains("token_refresh:42")
				.contains("fencing token " + second.fencingToken());
		});
	}

	@Test
	void refusedCallersAreCountedOnceEachAndNotOnceTheyGetTheLock() throws Exception {
		Lease holder = this.template.acquire(KEY, FAIL_FAST);
		assertThat(elsewhere(() -> {
			assertThatExceptionOfType(LockNotAcquiredException.class)
				.isThrownBy(() -> this.template.execute(KEY, FAIL_FAST, () -> "refused"));
			return this.template.tryAcquire(KEY, FAIL_FAST);
		})).isEmpty();
		assertThat(this.store.notAcquiredCount(KEY)).isEqualTo(2);
		// A waiter is refused until the holder releases, and then gets the lock: in the
		// end it was not refused.
		LockOptions waiting = LockOptions.builder().waitTime(Duration.ofSeconds(30)).build();
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try {
			Future<Optional<Lease>> waiter = thread.submit(() -> this.template.tryAcquire(KEY, waiting));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.store.notAcquiredCount(KEY) == 3);
			holder.close();
			waiter.get(30, TimeUnit.SECONDS).orElseThrow().close();
		}
		finally {
			thread.shutdownNow();
		}
		assertThat(this.store.notAcquiredCount(KEY)).isEqualTo(2);
		assertThat(this.store.acquisitionCount(KEY)).isEqualTo(2);
	}

	@Test
	void aGrantThatArrivesAfterTheWaitersOwnAttemptClaimedTheLockIsTheSameHolding() {
		// On Redis the grant of a handed lock comes on the pub/sub connection and the
		// answer to the waiter's own attempt on the command connection, in either order.
		GrantingInMemoryLockStore granting = new GrantingInMemoryLockStore();
		RecordingLockStore recording = new RecordingLockStore(granting);
		LockRequest request = new LockRequest(KEY, "waiter", Duration.ofSeconds(30), Duration.ofSeconds(5), false,
				Duration.ofSeconds(5));
		LockWaitListener stillWaiting = new LockWaitListener() {

			@Override
			public boolean released() {
				return false;
			}

			@Override
			public boolean granted(long fencingToken, long validFromNanos, Duration validFor) {
				// The waiter holds the lock through its attempt and waits no more.
				return false;
			}

		};
		recording.subscribe(KEY, "waiter", stillWaiting);
		AcquireResult claimed = recording.tryAcquire(request).toCompletableFuture().join();
		assertThat(claimed.isAcquired()).isTrue();
		assertThat(granting.listener.granted(claimed.fencingToken(), System.nanoTime(), Duration.ofSeconds(2)))
			.isFalse();
		assertThat(recording.held()).as("still held by the waiter").hasSize(1);
		assertThat(recording.release(KEY, "waiter").toCompletableFuture().join()).isTrue();
		assertThat(recording.held()).isEmpty();
		assertThat(recording.acquisitions(KEY)).singleElement()
			.extracting(RecordedAcquisition::ending)
			.isEqualTo(RecordedAcquisition.Ending.RELEASED);
		assertThat(recording.overlaps()).isEmpty();
	}

	@Test
	void forceReleaseEndsTheHolding() throws Exception {
		Lease lease = this.template.acquire(KEY, FAIL_FAST);
		assertThat(this.template.forceRelease(KEY)).isTrue();
		assertThat(this.store.held()).isEmpty();
		assertThat(this.store.acquisitions(KEY)).singleElement()
			.extracting(RecordedAcquisition::ending)
			.isEqualTo(RecordedAcquisition.Ending.FORCE_RELEASED);
		elsewhere(() -> this.template.execute(KEY, FAIL_FAST, () -> "after the operator cleared it"));
		lease.close();
		assertThat(this.store.overlaps()).isEmpty();
	}

	@Test
	void resetForgetsWhatEndedAndKeepsWhatIsStillHeld() throws Exception {
		this.template.execute(KEY, FAIL_FAST, () -> "done");
		Lease held = this.template.acquire(LockKey.of("report", "2026-12-01"), FAIL_FAST);
		assertThat(elsewhere(() -> this.template.tryAcquire(LockKey.of("report", "2026-12-01"), FAIL_FAST))).isEmpty();
		this.store.reset();
		assertThat(this.store.lockedKeys()).containsExactly(LockKey.of("report", "2026-12-01"));
		assertThat(this.store.notAcquiredCount(LockKey.of("report", "2026-12-01"))).isZero();
		held.close();
		assertThat(this.store.held()).isEmpty();
		assertThat(this.store.acquisitionCount(LockKey.of("report", "2026-12-01"))).isOne();
	}

	@Test
	void reentryIsNotAStoreAcquisition() {
		this.template.execute(KEY, FAIL_FAST, () -> this.template.execute(KEY, FAIL_FAST, () -> "inner"));
		assertThat(this.store.acquisitionCount(KEY)).isOne();
	}

	@Test
	void answersForTheWrappedStore() {
		assertThat(this.store.getDelegate()).isSameAs(this.inMemory);
		assertThat(this.store.storeName()).isEqualTo("in-memory");
		assertThat(this.store.pollInterval()).isEqualTo(this.inMemory.pollInterval());
		assertThat(this.store.blockingExecutor()).isNull();
		assertThat(this.store).hasToString("RecordingLockStore[in-memory]");
	}

	@Test
	void closingClosesTheWrappedStoreOnce() {
		ClosableInMemoryLockStore closable = new ClosableInMemoryLockStore();
		RecordingLockStore recording = new RecordingLockStore(closable);
		recording.close();
		recording.close();
		assertThat(closable.closed).hasValue(1);
	}

	/**
	 * Run a call on another thread, which is another invocation for the template: it does
	 * not reenter the locks of this thread.
	 */
	private static <T> T elsewhere(Callable<T> call) throws Exception {
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try {
			return thread.submit(call).get(30, TimeUnit.SECONDS);
		}
		finally {
			thread.shutdownNow();
		}
	}

	/**
	 * An in-memory store that keeps the listener of its last waiter, so that a test can
	 * deliver a grant as the Redis store does, at a moment of its choosing.
	 */
	static class GrantingInMemoryLockStore extends InMemoryLockStore {

		volatile LockWaitListener listener;

		@Override
		public WaitSubscription subscribe(LockKey key, String owner, LockWaitListener listener) {
			this.listener = listener;
			return super.subscribe(key, owner, listener);
		}

	}

	/**
	 * An in-memory store that can be closed, as the Redis and JDBC stores can.
	 */
	static class ClosableInMemoryLockStore extends InMemoryLockStore implements AutoCloseable {

		final AtomicInteger closed = new AtomicInteger();

		@Override
		public void close() {
			this.closed.incrementAndGet();
		}

	}

}
