package dev.distlock.core;

import java.time.Duration;
import java.util.Optional;

/**
 * The lock store SPI: Redis, JDBC and in-memory implement it, and an application may
 * supply its own bean. Each method does one job in the store, atomically. An owner is an
 * opaque token of at most 64 ASCII characters that identifies one holding of a lock; only
 * that owner may renew or release it. {@link LockTemplate} makes them from a random id of
 * the JVM and a counter ({@code <uuid>:<n>}).
 * <p>
 * Implementations report store failures (unreachable, timeout, SQL error) as
 * {@link LockStoreException}, never as "not acquired", and must be thread-safe.
 * Reentrancy, renewal scheduling, metrics and the annotation live above this SPI in
 * {@link LockTemplate}.
 *
 * @author Distributed Lock team
 */
public interface LockRegistry {

	/**
	 * Return the store's kind, used as the {@code store} tag of metrics and in the health
	 * details, such as {@code redis}, {@code jdbc} or {@code in-memory}.
	 * @return the store kind
	 */
	String storeName();

	/**
	 * Acquire the lock if it is free or its lease has expired, waiting up to
	 * {@code waitTime} for the current holder to release it. The check and the write are
	 * one atomic operation in the store; a waiting caller is woken by a release where the
	 * store allows it. The wait never exceeds {@code waitTime}.
	 * @param key the lock key
	 * @param owner the new holder's owner token
	 * @param leaseTime how long the store keeps the lock unless renewed
	 * @param waitTime how long to wait; zero makes a single attempt
	 * @return the grant, or empty if the lock stayed held
	 * @throws InterruptedException if the waiting thread was interrupted
	 * @throws LockStoreException if the store failed
	 */
	Optional<LockGrant> tryAcquire(LockKey key, String owner, Duration leaseTime, Duration waitTime)
			throws InterruptedException;

	/**
	 * Set the lease of a lock held by {@code owner} to end {@code leaseTime} from now.
	 * @param key the lock key
	 * @param owner the holder's owner token
	 * @param leaseTime the new lease time
	 * @return {@code true} if the owner still held the lock, {@code false} if it had
	 * expired or belongs to another owner (nothing is changed then)
	 * @throws LockStoreException if the store failed
	 */
	boolean renew(LockKey key, String owner, Duration leaseTime);

	/**
	 * Release a lock held by {@code owner}: an atomic compare-and-delete on the owner
	 * token, so that a holder whose lease expired never frees the next holder's lock.
	 * @param key the lock key
	 * @param owner the holder's owner token
	 * @return {@code true} if the lock was held by the owner and is now free
	 * @throws LockStoreException if the store failed
	 */
	boolean release(LockKey key, String owner);

	/**
	 * Release a lock whoever holds it, for an operator clearing a stuck lock.
	 * @param key the lock key
	 * @return {@code true} if a lock was held and is now free
	 * @throws LockStoreException if the store failed
	 */
	boolean forceRelease(LockKey key);

	/**
	 * Check that the store answers and is ready for locks (for health checks).
	 * @throws LockStoreException with the reason if it is not
	 */
	void checkAvailability();

}
