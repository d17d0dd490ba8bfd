package dev.distlock.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A {@link LockStore} that delegates to a real one and, when a test says so, fails or
 * delays operations as a store does when it becomes unreachable or slow, and counts the
 * calls: for testing how the template handles faults, never the stores themselves.
 *
 * @author Distributed Lock team
 */
public class FaultyLockStore implements LockStore {

	private final LockStore delegate;

	private volatile boolean failAcquire;

	private volatile boolean failRelease;

	private volatile boolean failRenew;

	private volatile boolean failAvailability;

	private volatile long acquireDelayMillis;

	private volatile long renewDelayMillis;

	private final AtomicInteger acquireCalls = new AtomicInteger();

	private final AtomicInteger releaseCalls = new AtomicInteger();

	private final AtomicInteger renewCalls = new AtomicInteger();

	private final AtomicInteger renewedLeases = new AtomicInteger();

	private final AtomicInteger abandonCalls = new AtomicInteger();

	/**
	 * Create a store that delegates to a real one.
	 * @param delegate the real store
	 */
	public FaultyLockStore(LockStore delegate) {
		this.delegate = delegate;
	}

	/**
	 * Make acquisitions fail (or succeed again).
	 * @param fail whether to fail
	 * @return this store
	 */
	public FaultyLockStore failAcquire(boolean fail) {
		this.failAcquire = fail;
		return this;
	}

	/**
	 * Make acquisitions fail from now on.
	 * @return this store
	 */
	public FaultyLockStore failAcquire() {
		return failAcquire(true);
	}

	/**
	 * Make releases fail (or succeed again).
	 * @param fail whether to fail
	 * @return this store
	 */
	public FaultyLockStore failRelease(boolean fail) {
		this.failRelease = fail;
		return this;
	}

	/**
	 * Make releases fail from now on.
	 * @return this store
	 */
	public FaultyLockStore failRelease() {
		return failRelease(true);
	}

	/**
	 * Make renewals fail (or succeed again), as a partitioned store does.
	 * @param fail whether to fail
	 * @return this store
	 */
	public FaultyLockStore failRenew(boolean fail) {
		this.failRenew = fail;
		return this;
	}

	/**
	 * Make availability checks fail from now on.
	 * @return this store
	 */
	public FaultyLockStore failAvailability() {
		this.failAvailability = true;
		return this;
	}

	/**
	 * Delay every acquire answer, as a slow network does: the attempt still reaches the
	 * store at once.
	 * @param delay the delay
	 * @return this store
	 */
	public FaultyLockStore delayAcquire(Duration delay) {
		this.acquireDelayMillis = delay.toMillis();
		return this;
	}

	/**
	 * Delay every renewal answer.
	 * @param delay the delay
	 * @return this store
	 */
	public FaultyLockStore delayRenew(Duration delay) {
		this.renewDelayMillis = delay.toMillis();
		return this;
	}

	/**
	 * Return the number of acquire attempts.
	 * @return the count
	 */
	public int acquireCalls() {
		return this.acquireCalls.get();
	}

	/**
	 * Return the number of releases.
	 * @return the count
	 */
	public int releaseCalls() {
		return this.releaseCalls.get();
	}

	/**
	 * Return the number of renew calls (each may carry many leases).
	 * @return the count
	 */
	public int renewCalls() {
		return this.renewCalls.get();
	}

	/**
	 * Return the number of leases renewed, over all renew calls.
	 * @return the count
	 */
	public int renewedLeases() {
		return this.renewedLeases.get();
	}

	/**
	 * Return the number of abandoned acquisitions.
	 * @return the count
	 */
	public int abandonCalls() {
		return this.abandonCalls.get();
	}

	@Override
	public String storeName() {
		return this.delegate.storeName();
	}

	@Override
	public CompletionStage<AcquireResult> tryAcquire(LockRequest request) {
		this.acquireCalls.incrementAndGet();
		if (this.failAcquire) {
			return CompletableFuture.failedFuture(new LockStoreException("Store unreachable", null));
		}
		return delayed(this.delegate.tryAcquire(request), this.acquireDelayMillis);
	}

	@Override
	public CompletionStage<Boolean> release(LockKey key, String owner) {
		this.releaseCalls.incrementAndGet();
		if (this.failRelease) {
			return CompletableFuture.failedFuture(new LockStoreException("Store unreachable", null));
		}
		return this.delegate.release(key, owner);
	}

	@Override
	public CompletionStage<List<Boolean>> renew(List<LeaseRenewal> renewals) {
		this.renewCalls.incrementAndGet();
		this.renewedLeases.addAndGet(renewals.size());
		if (this.failRenew) {
			return CompletableFuture.failedFuture(new LockStoreException("Store unreachable", null));
		}
		return delayed(this.delegate.renew(renewals), this.renewDelayMillis);
	}

	@Override
	public CompletionStage<Boolean> forceRelease(LockKey key) {
		return this.delegate.forceRelease(key);
	}

	@Override
	public CompletionStage<Boolean> abandon(LockRequest request) {
		this.abandonCalls.incrementAndGet();
		if (this.failRelease) {
			return CompletableFuture.failedFuture(new LockStoreException("Store unreachable", null));
		}
		return this.delegate.abandon(request);
	}

	@Override
	public WaitSubscription subscribe(LockKey key, String owner, Runnable onRelease) {
		return this.delegate.subscribe(key, owner, onRelease);
	}

	@Override
	public WaitSubscription subscribe(LockKey key, String owner, LockWaitListener listener) {
		return this.delegate.subscribe(key, owner, listener);
	}

	@Override
	public Duration pollInterval() {
		return this.delegate.pollInterval();
	}

	@Override
	public @Nullable Executor blockingExecutor() {
		return this.delegate.blockingExecutor();
	}

	@Override
	public void checkAvailability() {
		if (this.failAvailability) {
			throw new LockStoreException("Store unreachable", null);
		}
		this.delegate.checkAvailability();
	}

	private static <T> CompletionStage<T> delayed(CompletionStage<T> stage, long delayMillis) {
		if (delayMillis <= 0) {
			return stage;
		}
		Executor later = CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS);
		return stage.thenApplyAsync((value) -> value, later);
	}

}
