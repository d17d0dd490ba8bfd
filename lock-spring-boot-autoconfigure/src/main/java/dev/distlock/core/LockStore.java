package dev.distlock.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

/**
 * The lock store SPI: {@code RedisLockStore}, {@code JdbcLockStore} and
 * {@code InMemoryLockStore} implement it, and an application may supply its own bean.
 * Each operation does one job in the store, atomically, and answers with a
 * {@link CompletionStage}: waiting for a release never parks a thread.
 * <p>
 * <strong>Owners.</strong> An owner is an opaque token of at most 64 ASCII characters
 * that identifies one holding of a lock; only that owner may renew or release it.
 * {@link LockTemplate} makes a new one for every acquisition, so a token is never reused.
 * <p>
 * <strong>Waiting</strong> is driven by the template, not by the store: it calls
 * {@link #tryAcquire} again when {@linkplain #subscribe a release is announced}, when the
 * holder's lease ends, or when the store's {@linkplain #pollInterval() poll interval} has
 * passed, never past the caller's wait time. A store without release notifications simply
 * keeps the default {@link #subscribe}. A waiter that gives up, or whose attempt's
 * outcome is unknown (a time-out), is {@linkplain #abandon abandoned}, so that it never
 * keeps a lock or a place in a queue.
 * <p>
 * <strong>Threads.</strong> A store whose operations block the calling thread (JDBC,
 * Jedis) returns the executor they should run on from {@link #blockingExecutor()}: the
 * template then calls them directly from a caller that blocks anyway (such as
 * {@code LockTemplate.execute}), and on that executor otherwise, so they never run on a
 * non-blocking thread. A non-blocking store (Lettuce, in memory) answers on its own
 * threads; its callbacks must not block.
 * <p>
 * <strong>Failures.</strong> A store failure (unreachable, time-out, SQL error) completes
 * the stage with a {@link LockStoreException}, never "not acquired" or "not held". Every
 * operation is bounded in time ({@link LockRequest#timeout()} for an acquire attempt, the
 * store's own time-out otherwise). Implementations must be thread-safe.
 *
 * @author Distributed Lock team
 */
public interface LockStore {

	/**
	 * Return the store's kind, used as the {@code store} tag of metrics and in the health
	 * details, such as {@code redis}, {@code jdbc} or {@code in-memory}.
	 * @return the store kind
	 */
	String storeName();

	/**
	 * Make one attempt to acquire the lock: it succeeds only if the key is free or its
	 * lease has expired (for a {@linkplain LockRequest#fair() fair} request, only if no
	 * earlier waiter is queued), with one atomic operation in the store. A request that
	 * {@linkplain LockRequest#waiting() waits} may register the waiter in the store so
	 * that a release announces itself to it.
	 * @param request the attempt
	 * @return the outcome; a store failure completes it with {@link LockStoreException}
	 */
	CompletionStage<AcquireResult> tryAcquire(LockRequest request);

	/**
	 * Release a lock held by {@code owner}: an atomic compare-and-delete on the owner
	 * token, so that a holder whose lease expired never frees the next holder's lock.
	 * @param key the lock key
	 * @param owner the holder's owner token
	 * @return whether the lock was held by the owner and is now free
	 */
	CompletionStage<Boolean> release(LockKey key, String owner);

	/**
	 * Release a lock held by {@code owner} and, in the same atomic operation where the
	 * store can, acquire it for {@code next}, a caller of this JVM that waits for the
	 * same key: the lock then changes hands in one round trip instead of a release, a
	 * wake-up and an acquire. The template calls this instead of {@link #release} when a
	 * local waiter is ready.
	 * <p>
	 * A store hands the lock over only if {@code next} may have it now: for a
	 * {@linkplain LockRequest#fair() fair} lock, only if no earlier waiter is queued; for
	 * an unfair one, when {@code yieldToOthers} is set (this JVM has kept the lock
	 * through several hand-overs in a row) and waiters of other instances queue, it
	 * releases the lock to them as {@link #release} does and reports {@code next} as not
	 * acquired. {@code next} then keeps waiting. If {@code owner} no longer held the
	 * lock, the outcome for {@code next} is that of an ordinary {@link #tryAcquire
	 * attempt}.
	 * <p>
	 * The default releases, then makes an ordinary attempt for {@code next}: two
	 * operations, with the same outcome.
	 * @param key the lock key
	 * @param owner the releasing holder's owner token
	 * @param next the attempt of the next holder, a waiter of this JVM
	 * @param yieldToOthers whether waiters of other instances should have the lock first
	 * @return whether {@code owner} held the lock, and the outcome for {@code next}
	 */
	default CompletionStage<HandOverResult> handOver(LockKey key, String owner, LockRequest next,
			boolean yieldToOthers) {
		return release(key, owner).thenCompose((released) -> tryAcquire(next)
			.thenApply((result) -> new HandOverResult(Boolean.TRUE.equals(released), result)));
	}

	/**
	 * Extend the leases of several held locks at once: each ends its lease time from now
	 * by the store's clock, if its owner still holds it. Renewals due at the same moment
	 * arrive together, so that a store can send them in one round trip.
	 * @param renewals the leases to extend
	 * @return for each renewal, in order, whether its owner still held the lock (nothing
	 * is changed for one that did not)
	 */
	CompletionStage<List<Boolean>> renew(List<LeaseRenewal> renewals);

	/**
	 * Release a lock whoever holds it, for an operator clearing a stuck lock.
	 * @param key the lock key
	 * @return whether a lock was held and is now free
	 */
	CompletionStage<Boolean> forceRelease(LockKey key);

	/**
	 * Give up an acquisition: release the lock if the request's owner holds it (an
	 * attempt that timed out may still have succeeded in the store), and remove the owner
	 * from any queue of waiters. Called for every acquisition that ends without handing a
	 * lease to its caller after an attempt was sent, so it must be cheap when there is
	 * nothing to undo. The default releases the lock.
	 * @param request the request of the abandoned acquisition
	 * @return whether the owner held the lock (and released it now)
	 */
	default CompletionStage<Boolean> abandon(LockRequest request) {
		return release(request.key(), request.owner());
	}

	/**
	 * Ask to be told when the lock may have become free for this waiter. The default
	 * never calls back: waiters then retry at the holder's lease end or after the
	 * {@linkplain #pollInterval() poll interval}.
	 * @param key the lock key
	 * @param owner the waiter's owner token
	 * @param onRelease called (on any thread, must not block) when a release may let the
	 * waiter acquire
	 * @return the subscription; close it when the wait ends
	 */
	default WaitSubscription subscribe(LockKey key, String owner, Runnable onRelease) {
		return WaitSubscription.NONE;
	}

	/**
	 * Ask to be told when the lock may have become free for this waiter, or that it was
	 * handed to the waiter directly. This is what the template calls; the default
	 * delegates to {@link #subscribe(LockKey, String, Runnable)}, so a store that never
	 * hands a lock to a waiter need not implement it. A store that does (a release that
	 * assigns the lock to the waiter it wakes) implements this method, and passes the
	 * lock on when {@link LockWaitListener#granted} answers {@code false}.
	 * @param key the lock key
	 * @param owner the waiter's owner token
	 * @param listener what to tell the waiter (on any thread, must not block)
	 * @return the subscription; close it when the wait ends
	 */
	default WaitSubscription subscribe(LockKey key, String owner, LockWaitListener listener) {
		return subscribe(key, owner, listener::released);
	}

	/**
	 * Return the longest a waiter sleeps between two attempts when nothing announces a
	 * release: for stores that announce releases this only bounds the cost of a lost
	 * announcement; for stores that do not, it is the polling interval.
	 * @return the poll interval, positive
	 */
	default Duration pollInterval() {
		return Duration.ofSeconds(1);
	}

	/**
	 * Return the executor that this store's blocking operations run on when the caller
	 * must not block, or {@code null} if its operations never block the calling thread.
	 * @return the executor, or {@code null} for a non-blocking store
	 */
	default @Nullable Executor blockingExecutor() {
		return null;
	}

	/**
	 * Check that the store answers and is ready for locks (for health checks). May block.
	 * @throws LockStoreException with the reason if it is not
	 */
	void checkAvailability();

}
