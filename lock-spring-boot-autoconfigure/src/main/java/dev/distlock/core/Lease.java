package dev.distlock.core;

import java.time.Duration;
import java.time.Instant;

/**
 * A held lock. Closing it releases the lock; closing is idempotent and never throws.
 *
 * <pre class="code">
 * try (Lease lease = lockTemplate.acquire(key, options)) {
 *     store.write(data, lease.fencingToken());
 * }
 * </pre>
 *
 * @author Distributed Lock team
 */
public interface Lease extends AutoCloseable {

	/**
	 * Return the key of this lock.
	 * @return the key
	 */
	LockKey key();

	/**
	 * Return this holder's fencing token: a number greater than the token of every
	 * earlier holder of the same key. Pass it to a downstream store so that it rejects
	 * writes carrying a smaller token than one it has already seen, which stops a holder
	 * whose lease expired while it was paused from overwriting the next holder's work.
	 * @return the fencing token
	 */
	long fencingToken();

	/**
	 * Return when this JVM acquired the lock.
	 * @return the acquisition time
	 */
	Instant acquiredAt();

	/**
	 * Return when the lease ends unless it is renewed, as estimated by this JVM from the
	 * last acquire or renewal (the store decides by its own clock).
	 * @return the expiry estimate
	 */
	Instant expiresAt();

	/**
	 * Return whether this lease is still held: {@code false} once released, or once a
	 * renewal or release found it expired or taken by another holder.
	 * @return whether the lease is held
	 */
	boolean isValid();

	/**
	 * Extend the lease so that it ends the given time from now by the store's clock.
	 * @param leaseTime the new lease time, positive
	 * @return {@code true} if extended, {@code false} if the lease was no longer held (it
	 * is then marked lost)
	 * @throws LockStoreException if the store failed
	 */
	boolean extend(Duration leaseTime);

	/**
	 * Release the lock. Idempotent; a failure to reach the store is logged and counted,
	 * not thrown, and the store frees the lock when the lease expires.
	 */
	@Override
	void close();

}
