package dev.distlock.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link DefaultLease} needs from the template that made it: the store, the timer,
 * the listener and the bookkeeping of held leases. One per template.
 *
 * @author Distributed Lock team
 */
final class LeaseKeeper {

	private static final Log logger = LogFactory.getLog(LockTemplate.class);

	/**
	 * How many times in a row a lock may change hands within this JVM while waiters of
	 * other instances queue, before it goes to them: bounded, so that instances take
	 * turns, and more than one, so that a hot key mostly changes hands in one round trip.
	 */
	static final int MAX_LOCAL_HAND_OVERS = 4;

	/** The most renewals sent to a store in one call. */
	static final int MAX_RENEWAL_BATCH = 500;

	private static final long MIN_ABANDON_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final long MAX_ABANDON_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final StoreCalls calls;

	private final LeaseRenewalScheduler scheduler;

	private final LockListener listener;

	private final HeldLeases held;

	LeaseKeeper(StoreCalls calls, LeaseRenewalScheduler scheduler, LockListener listener, HeldLeases held) {
		this.calls = calls;
		this.scheduler = scheduler;
		this.listener = listener;
		this.held = held;
	}

	StoreCalls calls() {
		return this.calls;
	}

	LeaseRenewalScheduler scheduler() {
		return this.scheduler;
	}

	LockListener listener() {
		return this.listener;
	}

	HeldLeases held() {
		return this.held;
	}

	String describe(LockKey key) {
		return key.asString();
	}

	void ended(DefaultLease lease) {
		this.held.remove(lease);
	}

	/**
	 * Release a lease, handing the lock over to the longest waiter of this JVM if one is
	 * ready.
	 * @param key the key
	 * @param owner the releasing owner
	 * @param callerBlocks whether the calling thread may block on the store
	 * @param streak how many hand-overs in this JVM in a row led to the releasing lease
	 * @return whether the owner still held the lock
	 */
	CompletableFuture<Boolean> release(LockKey key, String owner, boolean callerBlocks, int streak) {
		if (this.held.isTerminated()) {
			// After shutdown the store's connections are closed: the lease expires.
			return CompletableFuture.failedFuture(new LockStoreException(
					"The application shut down before lock '" + key + "' was released; it expires with its lease",
					null));
		}
		HeldLeases.Successor next = this.held.takeSuccessor(key, streak);
		if (next != null) {
			return handOver(key, owner, next, callerBlocks, streak >= MAX_LOCAL_HAND_OVERS);
		}
		CompletableFuture<Boolean> released = this.calls.release(key, owner, callerBlocks);
		return released.whenComplete((result, failure) -> {
			if (Boolean.TRUE.equals(result)) {
				this.held.releasedLocally(key);
			}
		});
	}

	private CompletableFuture<Boolean> handOver(LockKey key, String owner, HeldLeases.Successor next,
			boolean callerBlocks, boolean yieldToOthers) {
		LockRequest request = next.request();
		long sent = System.nanoTime();
		CompletableFuture<HandOverResult> handed = this.calls.handOver(key, owner, request, yieldToOthers,
				callerBlocks);
		return handed.handle((result, failure) -> {
			Throwable error = (failure == null && result == null) ? new LockStoreException("Lock store "
					+ this.calls.store().storeName() + " returned no result to hand lock '" + key + "' over", null)
					: failure;
			// The waiter learns its outcome as from an attempt of its own: a grant, a
			// reason to keep waiting, or the store's failure.
			next.acquisition().answered(request, sent, (error != null) ? null : result.next(), error);
			if (error != null) {
				throw (error instanceof CompletionException completion) ? completion : new CompletionException(error);
			}
			return result.released();
		});
	}

	CompletableFuture<Boolean> renewOne(LeaseRenewal renewal, boolean callerBlocks) {
		return this.calls.renew(List.of(renewal), callerBlocks).thenApply((results) -> results.get(0));
	}

	/**
	 * Renew leases that are due together, in batches of at most
	 * {@value #MAX_RENEWAL_BATCH}. Runs on the timer thread: never blocks.
	 * @param leaseTime their lease time
	 * @param leases the leases
	 */
	void renew(Duration leaseTime, List<DefaultLease> leases) {
		for (int from = 0; from < leases.size(); from += MAX_RENEWAL_BATCH) {
			List<DefaultLease> batch = leases.subList(from, Math.min(from + MAX_RENEWAL_BATCH, leases.size()));
			List<LeaseRenewal> renewals = new ArrayList<>(batch.size());
			for (DefaultLease lease : batch) {
				renewals.add(new LeaseRenewal(lease.key(), lease.owner(), leaseTime));
			}
			long sent = System.nanoTime();
			List<DefaultLease> renewed = List.copyOf(batch);
			this.calls.renew(renewals, false).whenComplete((results, failure) -> {
				for (int i = 0; i < renewed.size(); i++) {
					DefaultLease lease = renewed.get(i);
					try {
						lease.renewed(sent, (results != null) ? results.get(i) : null,
								(failure != null) ? StoreCalls.unwrap(failure) : null);
					}
					catch (RuntimeException ex) {
						logger.error("Failed to apply the renewal of lock '" + lease.key() + "'", ex);
					}
				}
			});
		}
	}

	/**
	 * Release an owner token this JVM no longer uses (a lease that was lost or whose
	 * release failed, an acquire whose outcome is unknown), retrying in the background
	 * until the store answers or the lease would have ended anyway: a lock must not stay
	 * held by an owner that gave up.
	 * @param key the key
	 * @param owner the owner token
	 * @param within how long the lock may stay held by that owner at most
	 */
	void releaseAbandoned(LockKey key, String owner, Duration within) {
		long giveUpAt = System.nanoTime() + within.toNanos();
		releaseAbandoned(key, owner, giveUpAt, MIN_ABANDON_RETRY_NANOS);
	}

	private void releaseAbandoned(LockKey key, String owner, long giveUpAt, long retryNanos) {
		if (this.held.isTerminated()) {
			return;
		}
		this.calls.release(key, owner, false).whenComplete((released, failure) -> {
			if (failure == null) {
				if (Boolean.TRUE.equals(released)) {
					logger.debug("Released lock '" + key + "' of an abandoned owner");
					this.held.releasedLocally(key);
				}
				return;
			}
			long now = System.nanoTime();
			if (giveUpAt - now <= 0) {
				logger.debug("Gave up releasing lock '" + key + "' of an abandoned owner: its lease has ended");
				return;
			}
			try {
				this.scheduler.schedule(
						() -> releaseAbandoned(key, owner, giveUpAt, Math.min(retryNanos * 2, MAX_ABANDON_RETRY_NANOS)),
						Math.min(retryNanos, giveUpAt - now));
			}
			catch (RejectedExecutionException ex) {
				// Shutting down: the lease expires in the store.
			}
		});
	}

	/**
	 * Wait for a store call on a thread that may block, and report its failure as the
	 * {@link LockStoreException} it is.
	 * @param future the call
	 * @param action the operation, for the message
	 * @param key the key
	 * @param <T> the result type
	 * @return the result
	 */
	<T> @Nullable T join(CompletableFuture<T> future, String action, LockKey key) {
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			throw StoreCalls.asStoreException(ex, action, key);
		}
	}

}
