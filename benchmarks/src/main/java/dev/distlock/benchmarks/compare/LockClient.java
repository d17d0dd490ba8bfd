package dev.distlock.benchmarks.compare;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One "node" of a contender: a client with its own connections, as one instance of an
 * application would have. Every library under comparison is adapted to this shape, so
 * that the scenarios drive them all through the same code.
 *
 * @author Distributed Lock team
 */
public interface LockClient extends AutoCloseable {

	/**
	 * The work of an asynchronous section that does nothing: adapters pass the library
	 * its own empty value for it (such as {@code Mono.empty()}).
	 */
	Supplier<CompletionStage<?>> NO_WORK = () -> CompletableFuture.completedFuture(null);

	/**
	 * Acquire a lock, waiting up to {@code waitTime} for its holder to release it (with
	 * the library's own waiting, or a retry loop where the library has none).
	 * @param key the lock name, unique to this contender
	 * @param waitTime how long to wait; zero makes one attempt
	 * @return the held lock, or {@code null} if it stayed held
	 * @throws Exception if the library failed
	 */
	@Nullable Held tryAcquire(String key, Duration waitTime) throws Exception;

	/**
	 * Run a section while holding a lock, and release it afterwards: the section ends
	 * just before the release starts. Clients whose library has a callback form (such as
	 * {@code LockTemplate.execute}) override this to use it.
	 * @param key the lock name, unique to this contender
	 * @param waitTime how long to wait; zero makes one attempt
	 * @param section what to run while holding the lock
	 * @return whether the lock was acquired and the section ran
	 * @throws Exception if the library failed
	 */
	default boolean runLocked(String key, Duration waitTime, Runnable section) throws Exception {
		Held held = tryAcquire(key, waitTime);
		if (held == null) {
			return false;
		}
		try {
			section.run();
		}
		finally {
			held.release();
		}
		return true;
	}

	/**
	 * Return whether this client drives the library through a non-blocking API: its
	 * scenarios then use {@link #runLockedAsync} with callers that are pending
	 * completions, not threads.
	 * @return whether it is non-blocking
	 */
	default boolean isNonBlocking() {
		return false;
	}

	/**
	 * Run an asynchronous section while holding a lock, without blocking the calling
	 * thread, also while waiting: the returned stage completes once the lock was released
	 * after the section's own stage completed.
	 * @param key the lock name, unique to this contender
	 * @param waitTime how long to wait; zero makes one attempt
	 * @param section the work, started once the lock is held; {@link #NO_WORK} for none
	 * @return whether the lock was acquired and the section ran; completes exceptionally
	 * if the library failed
	 */
	default CompletionStage<Boolean> runLockedAsync(String key, Duration waitTime,
			Supplier<? extends CompletionStage<?>> section) {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " has no non-blocking API");
	}

	/**
	 * Acquire a lock that the library keeps renewing while it is held, as an application
	 * holding it for an unknown time would (our auto-renew, Redisson's watchdog).
	 * @param key the lock name, unique to this contender
	 * @return the held lock, or {@code null} if it is held by another
	 * @throws Exception if the library failed
	 */
	default @Nullable Held tryAcquireRenewing(String key) throws Exception {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " does not renew leases");
	}

	/**
	 * Return what counts this node's round trips to the store, if anything can.
	 * @return the counter, or {@code null}
	 */
	default @Nullable RoundTripCounter roundTrips() {
		return null;
	}

	/**
	 * Close the node's connections.
	 */
	@Override
	void close();

	/**
	 * A held lock.
	 */
	@FunctionalInterface
	interface Held {

		/**
		 * Release the lock.
		 * @throws Exception if the library failed
		 */
		void release() throws Exception;

		/**
		 * Return whether the lock is still held, as far as the client knows without
		 * asking the store, or {@code null} if it cannot tell.
		 * @return whether it is held
		 */
		default @Nullable Boolean isHeld() {
			return null;
		}

	}

}
