package dev.distlock.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One store operation at a time, waiting for its answer: how tests play another owner of
 * a lock, straight through the {@link LockStore} SPI.
 *
 * @author Distributed Lock team
 */
public final class LockStores {

	private LockStores() {
	}

	/**
	 * Make one acquire attempt that does not wait.
	 * @param store the store
	 * @param key the key
	 * @param owner the owner token
	 * @param leaseTime the lease time
	 * @return the fencing token, or empty if the lock is held
	 */
	public static Optional<Long> acquire(LockStore store, LockKey key, String owner, Duration leaseTime) {
		AcquireResult result = store
			.tryAcquire(new LockRequest(key, owner, leaseTime, Duration.ZERO, false, Duration.ofSeconds(5)))
			.toCompletableFuture()
			.join();
		return result.isAcquired() ? Optional.of(result.fencingToken()) : Optional.empty();
	}

	/**
	 * Release a lock held by the owner.
	 * @param store the store
	 * @param key the key
	 * @param owner the owner token
	 * @return whether it was held by the owner
	 */
	public static boolean release(LockStore store, LockKey key, String owner) {
		return store.release(key, owner).toCompletableFuture().join();
	}

	/**
	 * Renew one lease.
	 * @param store the store
	 * @param key the key
	 * @param owner the owner token
	 * @param leaseTime the new lease time
	 * @return whether the owner still held it
	 */
	public static boolean renew(LockStore store, LockKey key, String owner, Duration leaseTime) {
		return store.renew(List.of(new LeaseRenewal(key, owner, leaseTime))).toCompletableFuture().join().get(0);
	}

	/**
	 * Release a lock whoever holds it.
	 * @param store the store
	 * @param key the key
	 * @return whether it was held
	 */
	public static boolean forceRelease(LockStore store, LockKey key) {
		return store.forceRelease(key).toCompletableFuture().join();
	}

}
