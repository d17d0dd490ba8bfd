package dev.distlock.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The lease {@link LockTemplate} hands out: it renews itself on the shared scheduler,
 * notices when it is lost, and releases (or, with a minimum hold time, shortens) the lock
 * when closed.
 *
 * @author Distributed Lock team
 */
final class DefaultLease implements Lease {

	private static final Log logger = LogFactory.getLog(LockTemplate.class);

	private enum State {

		HELD, LOST, RELEASED

	}

	private final LockTemplate template;

	private final LockAttempt attempt;

	private final String owner;

	private final long fencingToken;

	private final Duration leaseTime;

	private final Duration lockAtLeastFor;

	private final LockTemplate.Hold hold;

	private final Instant acquiredAt = Instant.now();

	private final long acquiredNanos = System.nanoTime();

	private final String holderThread = Thread.currentThread().getName();

	private final AtomicReference<State> state = new AtomicReference<>(State.HELD);

	private final AtomicInteger depth = new AtomicInteger(1);

	private volatile boolean lost;

	private volatile Instant expiresAt;

	private volatile LeaseRenewalScheduler.@Nullable Renewal renewal;

	DefaultLease(LockTemplate template, LockAttempt attempt, String owner, LockGrant grant, Duration leaseTime,
			Duration lockAtLeastFor, LockTemplate.Hold hold) {
		this.template = template;
		this.attempt = attempt;
		this.owner = owner;
		this.fencingToken = grant.fencingToken();
		this.expiresAt = grant.expiresAt();
		this.leaseTime = leaseTime;
		this.lockAtLeastFor = lockAtLeastFor;
		this.hold = hold;
	}

	@Override
	public LockKey key() {
		return this.attempt.key();
	}

	@Override
	public long fencingToken() {
		return this.fencingToken;
	}

	@Override
	public Instant acquiredAt() {
		return this.acquiredAt;
	}

	@Override
	public Instant expiresAt() {
		return this.expiresAt;
	}

	@Override
	public boolean isValid() {
		return this.state.get() == State.HELD;
	}

	boolean wasLost() {
		return this.lost;
	}

	@Override
	public boolean extend(Duration leaseTime) {
		LockOptions.requirePositive(leaseTime, "leaseTime");
		if (!isValid()) {
			return false;
		}
		boolean extended;
		try {
			extended = this.template.getRegistry().renew(key(), this.owner, leaseTime);
		}
		catch (RuntimeException ex) {
			throw LockTemplate.asStoreException(ex, "extend lock '" + key() + "'");
		}
		if (extended) {
			this.expiresAt = Instant.now().plus(leaseTime);
		}
		else {
			markLost("extending it found it expired or held by another owner");
		}
		return extended;
	}

	void startRenewal(LeaseRenewalScheduler scheduler, Duration period) {
		this.renewal = scheduler.schedule(this::renew, period);
	}

	private void renew() {
		if (!isValid()) {
			cancelRenewal();
			return;
		}
		boolean renewed;
		try {
			renewed = this.template.getRegistry().renew(key(), this.owner, this.leaseTime);
		}
		catch (RuntimeException ex) {
			this.template.listener().onRenewed(this.attempt, this, false);
			if (Instant.now().isAfter(this.expiresAt)) {
				markLost("renewals failed until the lease expired (last failure: " + ex.getMessage() + ")");
			}
			else {
				logger.warn(
						"Failed to renew lock '" + key() + "'; retrying before the lease expires at " + this.expiresAt,
						ex);
			}
			return;
		}
		if (renewed) {
			this.expiresAt = Instant.now().plus(this.leaseTime);
			if (logger.isDebugEnabled()) {
				logger.debug("Renewed lock '" + key() + "' until about " + this.expiresAt);
			}
			this.template.listener().onRenewed(this.attempt, this, true);
		}
		else if (isValid()) {
			this.template.listener().onRenewed(this.attempt, this, false);
			markLost("a renewal found it expired or held by another owner");
		}
	}

	private void markLost(String reason) {
		if (this.state.compareAndSet(State.HELD, State.LOST)) {
			cancelRenewal();
			reportLost(reason);
		}
	}

	private void reportLost(String reason) {
		this.lost = true;
		logger.warn("Lost lock '" + key() + "' (fencing token " + this.fencingToken + ", held by thread '"
				+ this.holderThread + "'): " + reason + ". Another holder may have run at the same time.");
		this.template.listener().onLost(this.attempt, this);
	}

	private void cancelRenewal() {
		LeaseRenewalScheduler.Renewal task = this.renewal;
		if (task != null) {
			task.cancel();
		}
	}

	Lease reenter() {
		this.depth.incrementAndGet();
		return new ReentrantLease(this);
	}

	@Override
	public void close() {
		if (this.depth.decrementAndGet() > 0) {
			return;
		}
		State previous = this.state.getAndSet(State.RELEASED);
		if (previous == State.RELEASED) {
			return;
		}
		cancelRenewal();
		this.template.ended(this, this.hold);
		Duration held = Duration.ofNanos(System.nanoTime() - this.acquiredNanos);
		Duration keepFor = this.lockAtLeastFor.minus(held);
		boolean stillOwned;
		try {
			if (keepFor.isNegative() || keepFor.isZero()) {
				stillOwned = this.template.getRegistry().release(key(), this.owner);
			}
			else {
				// A minimum hold time: leave the lock in the store until it has passed.
				stillOwned = this.template.getRegistry().renew(key(), this.owner, keepFor);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Failed to release lock '" + key() + "'; the store frees it when the lease expires at about "
					+ this.expiresAt, ex);
			this.template.listener()
				.onReleaseFailed(this.attempt, this, LockTemplate.asStoreException(ex, "release lock '" + key() + "'"));
			this.template.listener().onReleased(this.attempt, this, held);
			return;
		}
		if (!stillOwned && previous == State.HELD) {
			reportLost("the release found it expired or held by another owner after " + held.toMillis() + " ms");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Released lock '" + key() + "' after " + held.toMillis() + " ms"
					+ ((keepFor.isNegative() || keepFor.isZero()) ? ""
							: "; kept in the store for " + keepFor.toMillis() + " ms more (lockAtLeastFor)"));
		}
		this.template.listener().onReleased(this.attempt, this, held);
	}

	HeldLock snapshot() {
		return new HeldLock(key().namespace(), key().asString(), this.fencingToken, this.acquiredAt, this.expiresAt,
				this.holderThread);
	}

	@Override
	public String toString() {
		return "Lease[key=" + key() + ", fencingToken=" + this.fencingToken + ", state=" + this.state.get() + "]";
	}

	/**
	 * The view a reentrant acquisition gets: closing it only leaves one level.
	 */
	private static final class ReentrantLease implements Lease {

		private final DefaultLease outer;

		private final AtomicInteger closed = new AtomicInteger();

		ReentrantLease(DefaultLease outer) {
			this.outer = outer;
		}

		@Override
		public LockKey key() {
			return this.outer.key();
		}

		@Override
		public long fencingToken() {
			return this.outer.fencingToken();
		}

		@Override
		public Instant acquiredAt() {
			return this.outer.acquiredAt();
		}

		@Override
		public Instant expiresAt() {
			return this.outer.expiresAt();
		}

		@Override
		public boolean isValid() {
			return this.closed.get() == 0 && this.outer.isValid();
		}

		@Override
		public boolean extend(Duration leaseTime) {
			return this.outer.extend(leaseTime);
		}

		@Override
		public void close() {
			if (this.closed.compareAndSet(0, 1)) {
				this.outer.close();
			}
		}

	}

}
