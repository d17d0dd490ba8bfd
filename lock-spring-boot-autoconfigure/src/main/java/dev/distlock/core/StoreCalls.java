package dev.distlock.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * How the template calls its {@link LockStore}: on the right thread (a blocking store's
 * operations run on its executor unless the caller blocks anyway), bounded in time, and
 * with every failure turned into a {@link LockStoreException} that names the operation
 * and the key.
 *
 * @author Distributed Lock team
 */
final class StoreCalls {

	/** An acquire attempt made while waiting gets at least this long to answer. */
	private static final Duration MIN_ATTEMPT_TIMEOUT = Duration.ofMillis(100);

	/**
	 * How much longer than its own bound a store may take before the template gives up on
	 * it: a backstop for stores that do not bound their calls themselves.
	 */
	private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

	private final LockStore store;

	private final @Nullable Executor blockingExecutor;

	private final Duration timeout;

	private final LeaseRenewalScheduler timer;

	StoreCalls(LockStore store, Duration timeout, LeaseRenewalScheduler timer) {
		this.store = store;
		this.blockingExecutor = store.blockingExecutor();
		this.timeout = Durations.requirePositive(timeout, "timeout");
		this.timer = timer;
	}

	LockStore store() {
		return this.store;
	}

	/**
	 * Return the time bound of an acquire attempt: the store time-out, and while waiting
	 * never longer than the remaining wait (but at least {@link #MIN_ATTEMPT_TIMEOUT}).
	 * @param waiting whether the caller waits at all
	 * @param remainingNanos the remaining wait
	 * @return the bound
	 */
	Duration attemptTimeout(boolean waiting, long remainingNanos) {
		if (!waiting) {
			return this.timeout;
		}
		Duration remaining = Duration.ofNanos(Math.max(remainingNanos, 0));
		if (remaining.compareTo(MIN_ATTEMPT_TIMEOUT) < 0) {
			remaining = MIN_ATTEMPT_TIMEOUT;
		}
		return (remaining.compareTo(this.timeout) < 0) ? remaining : this.timeout;
	}

	CompletableFuture<AcquireResult> tryAcquire(LockRequest request, boolean callerBlocks) {
		return call(() -> this.store.tryAcquire(request), callerBlocks, "acquire", request.key(), request.timeout());
	}

	CompletableFuture<Boolean> release(LockKey key, String owner, boolean callerBlocks) {
		return call(() -> this.store.release(key, owner), callerBlocks, "release", key, this.timeout);
	}

	CompletableFuture<HandOverResult> handOver(LockKey key, String owner, LockRequest next, boolean yieldToOthers,
			boolean callerBlocks) {
		return call(() -> this.store.handOver(key, owner, next, yieldToOthers), callerBlocks, "release", key,
				this.timeout);
	}

	CompletableFuture<List<Boolean>> renew(List<LeaseRenewal> renewals, boolean callerBlocks) {
		return call(() -> this.store.renew(renewals), callerBlocks, "renew", renewals.get(0).key(), this.timeout)
			.thenApply((results) -> {
				if (results == null || results.size() != renewals.size()) {
					throw new LockStoreException("Lock store " + this.store.storeName() + " answered "
							+ ((results != null) ? results.size() : "no") + " results to " + renewals.size()
							+ " renewals", null);
				}
				return results;
			});
	}

	CompletableFuture<Boolean> forceRelease(LockKey key, boolean callerBlocks) {
		return call(() -> this.store.forceRelease(key), callerBlocks, "force-release", key, this.timeout);
	}

	CompletableFuture<Boolean> abandon(LockRequest request, boolean callerBlocks) {
		return call(() -> this.store.abandon(request), callerBlocks, "abandon", request.key(), this.timeout);
	}

	WaitSubscription subscribe(LockKey key, String owner, LockWaitListener listener) {
		try {
			return this.store.subscribe(key, owner, listener);
		}
		catch (RuntimeException ex) {
			// Waiting then relies on timed retries.
			return WaitSubscription.NONE;
		}
	}

	private <T> CompletableFuture<T> call(Supplier<? extends @Nullable CompletionStage<T>> operation,
			boolean callerBlocks, String action, LockKey key, Duration bound) {
		CompletableFuture<T> result;
		if (this.blockingExecutor != null && !callerBlocks) {
			try {
				result = CompletableFuture.supplyAsync(() -> invoke(operation, action, key), this.blockingExecutor)
					.thenCompose((stage) -> stage);
			}
			catch (RejectedExecutionException ex) {
				return CompletableFuture.failedFuture(new LockStoreException("Lock store " + this.store.storeName()
						+ " refused to " + action + " lock '" + key + "': its executor is shut down", ex));
			}
		}
		else {
			try {
				result = invoke(operation, action, key).toCompletableFuture();
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(asStoreException(ex, action, key));
			}
		}
		if (!result.isDone()) {
			// A copy: the store's own stage is left alone when the bound fires.
			result = result.thenApply((value) -> value);
			this.timer.expire(result, bound.toNanos() + GRACE_NANOS);
		}
		return result.handle((value, failure) -> {
			if (failure != null) {
				throw asStoreException(failure, action, key);
			}
			return value;
		});
	}

	private <T> CompletionStage<T> invoke(Supplier<? extends @Nullable CompletionStage<T>> operation, String action,
			LockKey key) {
		CompletionStage<T> stage = operation.get();
		if (stage == null) {
			throw new LockStoreException(
					"Lock store " + this.store.storeName() + " returned no result to " + action + " lock '" + key + "'",
					null);
		}
		return stage;
	}

	/**
	 * Turn any failure of a store call into the {@link LockStoreException} the caller
	 * sees.
	 * @param failure the failure
	 * @param action the operation, such as {@code acquire}
	 * @param key the key
	 * @return the exception
	 */
	static LockStoreException asStoreException(Throwable failure, String action, LockKey key) {
		Throwable cause = unwrap(failure);
		if (cause instanceof LockStoreException storeException) {
			return storeException;
		}
		if (cause instanceof TimeoutException) {
			return new LockStoreException("Lock store did not answer in time to " + action + " lock '" + key + "'",
					cause);
		}
		return new LockStoreException("Lock store failed to " + action + " lock '" + key + "': " + cause.getMessage(),
				cause);
	}

	static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}
