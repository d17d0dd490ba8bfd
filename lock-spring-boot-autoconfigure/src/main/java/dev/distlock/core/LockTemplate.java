package dev.distlock.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.function.ThrowingSupplier;

/**
 * The programmatic entry to distributed locks, and the engine behind
 * {@link dev.distlock.annotation.DistributedLock @DistributedLock}. Thread-safe; one per
 * application.
 *
 * <pre class="code">
 * Token token = lockTemplate.execute(LockKey.of("token_refresh", userId), () -&gt; refresh(userId));
 * </pre>
 *
 * On top of the {@link LockRegistry store}, it applies the configured defaults per
 * namespace, makes locks reentrant per thread (unless disabled), renews leases through
 * the shared {@link LeaseRenewalScheduler}, detects lost leases and reports everything to
 * the {@link LockListener}.
 *
 * @author Distributed Lock team
 */
public class LockTemplate {

	private static final Log logger = LogFactory.getLog(LockTemplate.class);

	/**
	 * Identifies this JVM in owner tokens. Owner tokens must be unique, not secret: a
	 * random instance id plus a counter avoids {@code SecureRandom} on every acquire and
	 * tells an operator which instance holds a lock.
	 */
	private static final String INSTANCE_ID = UUID.randomUUID().toString();

	private static final AtomicLong ownerSequence = new AtomicLong();

	private final LockRegistry registry;

	private final LockSettings settings;

	private final LeaseRenewalScheduler renewalScheduler;

	private final LockListener listener;

	private final ConcurrentHashMap<Hold, DefaultLease> holds = new ConcurrentHashMap<>();

	private final Set<DefaultLease> active = ConcurrentHashMap.newKeySet();

	/**
	 * Create a template.
	 * @param registry the lock store
	 * @param settings the defaults to apply
	 * @param renewalScheduler the scheduler that renews leases
	 * @param listener the listener to report to ({@link LockListener#NONE} for none)
	 */
	public LockTemplate(LockRegistry registry, LockSettings settings, LeaseRenewalScheduler renewalScheduler,
			LockListener listener) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.renewalScheduler = Objects.requireNonNull(renewalScheduler, "renewalScheduler must not be null");
		this.listener = Objects.requireNonNull(listener, "listener must not be null");
	}

	/**
	 * Run an action under the lock, with the configured defaults.
	 * @param key the lock key
	 * @param action the action; a checked exception it throws is wrapped in a
	 * {@link RuntimeException}
	 * @param <T> the result type
	 * @return the action's result
	 * @throws LockNotAcquiredException if the lock stayed held for the wait time
	 * @throws LockStoreException if the store failed
	 * @throws LockLostException if the lease was lost and
	 * {@code distributed-lock.on-lease-lost=throw}
	 */
	public <T extends @Nullable Object> T execute(LockKey key, ThrowingSupplier<T> action) {
		return execute(key, LockOptions.defaults(), action);
	}

	/**
	 * Run an action under the lock.
	 * @param key the lock key
	 * @param options the options for this lock
	 * @param action the action; a checked exception it throws is wrapped in a
	 * {@link RuntimeException}
	 * @param <T> the result type
	 * @return the action's result
	 * @throws LockNotAcquiredException if the lock stayed held for the wait time
	 * @throws LockStoreException if the store failed
	 * @throws LockLostException if the lease was lost and
	 * {@code distributed-lock.on-lease-lost=throw}
	 */
	public <T extends @Nullable Object> T execute(LockKey key, LockOptions options, ThrowingSupplier<T> action) {
		Lease lease = acquire(key, options);
		return runHolding(lease, action::get);
	}

	/**
	 * Try to acquire the lock, waiting up to the wait time.
	 * @param key the lock key
	 * @param options the options for this lock
	 * @return the lease, or empty if the lock stayed held by another owner
	 * @throws LockStoreException if the store failed
	 */
	public Optional<Lease> tryAcquire(LockKey key, LockOptions options) {
		Objects.requireNonNull(key, "key must not be null");
		Objects.requireNonNull(options, "options must not be null");
		Hold hold = new Hold(Thread.currentThread().getId(), key);
		DefaultLease outer = this.holds.get(hold);
		if (outer != null && outer.isValid()) {
			if (!this.settings.isReentrant()) {
				logger.debug("Refusing reentry into lock '" + key + "': distributed-lock.reentrant=false");
				return Optional.empty();
			}
			return Optional.of(outer.reenter());
		}
		LockOptions resolved = this.settings.resolve(key.namespace(), options);
		LockAttempt attempt = new LockAttempt(key, this.registry.storeName());
		this.listener.onAcquiring(attempt);
		String owner = INSTANCE_ID + ":" + ownerSequence.incrementAndGet();
		Duration leaseTime = Objects.requireNonNull(resolved.getLeaseTime());
		Duration waitTime = Objects.requireNonNull(resolved.getWaitTime());
		if (!waitTime.isZero() && logger.isDebugEnabled()) {
			logger.debug("Acquiring lock '" + key + "', waiting up to " + waitTime.toMillis() + " ms if it is held");
		}
		Optional<LockGrant> grant;
		try {
			grant = this.registry.tryAcquire(key, owner, leaseTime, waitTime);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			Duration waited = attempt.elapsed();
			this.listener.onNotAcquired(attempt, waited);
			throw new LockNotAcquiredException(key, waited,
					"Interrupted while waiting for lock '" + key + "' after " + waited.toMillis() + " ms", ex);
		}
		catch (RuntimeException ex) {
			LockStoreException failure = asStoreException(ex, "acquire lock '" + key + "'");
			this.listener.onAcquireFailed(attempt, attempt.elapsed(), failure);
			throw failure;
		}
		Duration waited = attempt.elapsed();
		if (grant.isEmpty()) {
			if (logger.isDebugEnabled()) {
				logger.debug("Lock '" + key + "' not acquired: held by another owner (waited " + waited.toMillis()
						+ " ms of " + waitTime.toMillis() + " ms)");
			}
			this.listener.onNotAcquired(attempt, waited);
			return Optional.empty();
		}
		DefaultLease lease = new DefaultLease(this, attempt, owner, grant.get(), leaseTime,
				Objects.requireNonNull(resolved.getLockAtLeastFor()), hold);
		if (Boolean.TRUE.equals(resolved.getAutoRenew())) {
			try {
				lease.startRenewal(this.renewalScheduler, leaseTime.dividedBy(3));
			}
			catch (RuntimeException ex) {
				// Typically the scheduler was closed at shutdown: give the lock back now
				// rather than hold it unrenewed until its lease expires.
				releaseQuietly(key, owner);
				LockStoreException failure = new LockStoreException(
						"Could not schedule renewal of lock '" + key + "'; the lock was released", ex);
				this.listener.onAcquireFailed(attempt, waited, failure);
				throw failure;
			}
		}
		this.holds.put(hold, lease);
		this.active.add(lease);
		if (logger.isDebugEnabled()) {
			logger.debug("Acquired lock '" + key + "' with fencing token " + lease.fencingToken() + " after "
					+ waited.toMillis() + " ms (lease " + leaseTime.toMillis() + " ms)");
		}
		this.listener.onAcquired(attempt, lease, waited);
		return Optional.of(lease);
	}

	/**
	 * Return whether the current thread holds the lock through this template.
	 * @param key the lock key
	 * @return whether this thread holds a valid lease on the key
	 */
	public boolean isHeldByCurrentThread(LockKey key) {
		DefaultLease lease = this.holds.get(new Hold(Thread.currentThread().getId(), key));
		return lease != null && lease.isValid();
	}

	/**
	 * Acquire the lock, waiting up to the wait time, or fail.
	 * @param key the lock key
	 * @param options the options for this lock
	 * @return the lease; close it to release the lock
	 * @throws LockNotAcquiredException if the lock stayed held by another owner
	 * @throws LockStoreException if the store failed
	 */
	public Lease acquire(LockKey key, LockOptions options) {
		long start = System.nanoTime();
		return tryAcquire(key, options)
			.orElseThrow(() -> notAcquired(key, Duration.ofNanos(System.nanoTime() - start)));
	}

	/**
	 * Create the exception for a lock that was not acquired, explaining a refused reentry
	 * when that was the reason.
	 * @param key the lock key
	 * @param waited how long the caller waited
	 * @return the exception
	 */
	public LockNotAcquiredException notAcquired(LockKey key, Duration waited) {
		if (!this.settings.isReentrant() && isHeldByCurrentThread(key)) {
			return new LockNotAcquiredException(key, waited,
					"Lock '" + key
							+ "' is already held by this thread, and distributed-lock.reentrant=false refuses reentry",
					null);
		}
		return new LockNotAcquiredException(key, waited);
	}

	/**
	 * Run a section while holding a lease acquired from this template, and release the
	 * lease afterwards, also when the section throws (its exception propagates
	 * unchanged). The lease is {@link LockContext#currentLease() current} while the
	 * section runs. When the lease was lost meanwhile and
	 * {@code distributed-lock.on-lease-lost=throw}, a section that returned normally ends
	 * in {@link LockLostException}; a section that threw keeps its exception, with the
	 * {@code LockLostException} added as suppressed.
	 * @param lease the lease, as returned by {@link #tryAcquire} or {@link #acquire}
	 * @param section the section to run
	 * @param <T> the result type
	 * @param <E> the exception the section may throw
	 * @return the section's result
	 * @throws E what the section threw
	 */
	public <T extends @Nullable Object, E extends Throwable> T runHolding(Lease lease, LockedSection<T, E> section)
			throws E {
		T result;
		LockContext.push(lease);
		try {
			result = section.run();
		}
		catch (Throwable ex) {
			LockContext.pop();
			lease.close();
			if (isLostAndThrowing(lease)) {
				ex.addSuppressed(new LockLostException(lease.key(), lease.fencingToken()));
			}
			throw ex;
		}
		LockContext.pop();
		lease.close();
		if (isLostAndThrowing(lease)) {
			throw new LockLostException(lease.key(), lease.fencingToken());
		}
		return result;
	}

	private boolean isLostAndThrowing(Lease lease) {
		return this.settings.getLeaseLostPolicy() == LeaseLostPolicy.THROW && lease instanceof DefaultLease held
				&& held.wasLost();
	}

	/**
	 * Return the locks this instance holds now, oldest first.
	 * @return a snapshot of the held locks
	 */
	public List<HeldLock> heldLocks() {
		List<HeldLock> locks = new ArrayList<>(this.active.size());
		for (DefaultLease lease : this.active) {
			locks.add(lease.snapshot());
		}
		locks.sort(Comparator.comparing(HeldLock::acquiredAt));
		return locks;
	}

	/**
	 * Release a lock in the store whoever holds it, for an operator clearing a stuck
	 * lock. A holder in this instance keeps running and finds its lease lost at its next
	 * renewal or release.
	 * @param key the lock key
	 * @return {@code true} if a lock was held and is now free
	 * @throws LockStoreException if the store failed
	 */
	public boolean forceRelease(LockKey key) {
		try {
			return this.registry.forceRelease(key);
		}
		catch (RuntimeException ex) {
			throw asStoreException(ex, "force-release lock '" + key + "'");
		}
	}

	/**
	 * Return the lock store.
	 * @return the store
	 */
	public LockRegistry getRegistry() {
		return this.registry;
	}

	/**
	 * Return the settings applied to every lock.
	 * @return the settings
	 */
	public LockSettings getSettings() {
		return this.settings;
	}

	LockListener listener() {
		return this.listener;
	}

	void ended(DefaultLease lease, Hold hold) {
		this.holds.remove(hold, lease);
		this.active.remove(lease);
	}

	private void releaseQuietly(LockKey key, String owner) {
		try {
			this.registry.release(key, owner);
		}
		catch (RuntimeException ex) {
			logger.warn("Failed to release lock '" + key + "'; the store frees it when its lease expires", ex);
		}
	}

	static LockStoreException asStoreException(RuntimeException ex, String action) {
		if (ex instanceof LockStoreException storeException) {
			return storeException;
		}
		return new LockStoreException("Lock store failed to " + action + ": " + ex.getMessage(), ex);
	}

	/**
	 * A section of code run while a lock is held.
	 *
	 * @param <T> the result type
	 * @param <E> the exception it may throw
	 */
	@FunctionalInterface
	public interface LockedSection<T extends @Nullable Object, E extends Throwable> {

		/**
		 * Run the section.
		 * @return the result
		 * @throws E what the section throws
		 */
		T run() throws E;

	}

	record Hold(long threadId, LockKey key) {

	}

}
