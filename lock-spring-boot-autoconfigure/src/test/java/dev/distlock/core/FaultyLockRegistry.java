package dev.distlock.core;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@link LockRegistry} that delegates to a real one and fails the operations a test
 * switches off, as a store does when it becomes unreachable: for testing how failures are
 * reported, never the stores themselves.
 *
 * @author Distributed Lock team
 */
public class FaultyLockRegistry implements LockRegistry {

	private final LockRegistry delegate;

	private volatile boolean failAcquire;

	private volatile boolean failRelease;

	private volatile boolean failAvailability;

	/**
	 * Create a registry that delegates to a real one.
	 * @param delegate the real registry
	 */
	public FaultyLockRegistry(LockRegistry delegate) {
		this.delegate = delegate;
	}

	/**
	 * Make acquisitions fail from now on.
	 * @return this registry
	 */
	public FaultyLockRegistry failAcquire() {
		this.failAcquire = true;
		return this;
	}

	/**
	 * Make releases fail from now on.
	 * @return this registry
	 */
	public FaultyLockRegistry failRelease() {
		this.failRelease = true;
		return this;
	}

	/**
	 * Make availability checks fail from now on.
	 * @return this registry
	 */
	public FaultyLockRegistry failAvailability() {
		this.failAvailability = true;
		return this;
	}

	@Override
	public String storeName() {
		return this.delegate.storeName();
	}

	@Override
	public Optional<LockGrant> tryAcquire(LockKey key, String owner, Duration leaseTime, Duration waitTime)
			throws InterruptedException {
		if (this.failAcquire) {
			throw new LockStoreException("Store unreachable", null);
		}
		return this.delegate.tryAcquire(key, owner, leaseTime, waitTime);
	}

	@Override
	public boolean renew(LockKey key, String owner, Duration leaseTime) {
		return this.delegate.renew(key, owner, leaseTime);
	}

	@Override
	public boolean release(LockKey key, String owner) {
		if (this.failRelease) {
			throw new LockStoreException("Store unreachable", null);
		}
		return this.delegate.release(key, owner);
	}

	@Override
	public boolean forceRelease(LockKey key) {
		return this.delegate.forceRelease(key);
	}

	@Override
	public void checkAvailability() {
		if (this.failAvailability) {
			throw new LockStoreException("Store unreachable", null);
		}
		this.delegate.checkAvailability();
	}

}
