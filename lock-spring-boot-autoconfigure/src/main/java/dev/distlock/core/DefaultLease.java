package dev.distlock.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The lease {@link LockTemplate} hands out: one state machine, {@code HELD} until it is
 * closed ({@code RELEASING}, then {@code RELEASED}) or lost ({@code LOST}), whichever
 * comes first.
 * <p>
 * <strong>The local deadline.</strong> The lease is valid until a deadline counted on
 * this JVM's monotonic clock from the moment the acquire (or the last successful renewal)
 * was <em>sent</em>, minus a drift margin of 1 % of the lease time plus 2 ms for clocks
 * that run at different rates. The store counts the same lease from the moment the
 * command <em>arrived</em>, so this holder never believes it holds the lock after the
 * store let it go. Past the deadline the lease is lost, whatever the store answers later:
 * {@link #isValid()} compares with the clock, and the renewal scheduler reports the loss
 * within one tick.
 *
 * @author Distributed Lock team
 */
final class DefaultLease implements Lease {

	private static final Log logger = LogFactory.getLog(LockTemplate.class);

	/** {@link #nextCheckNanos} while the timer handles the lease. */
	private static final long CHECKING = Long.MIN_VALUE;

	/**
	 * Beyond the store time-out, how long closing waits for the release before it gives
	 * up on a timer that does not run: the template's grace on store calls and a margin.
	 */
	private static final long CLOSE_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(2);

	private static final long MIN_RENEWAL_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

	private static final long MAX_RENEWAL_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

	enum State {

		HELD, RELEASING, RELEASED, LOST

	}

	private final LeaseKeeper keeper;

	private final LockAttempt attempt;

	private final String owner;

	private final long fencingToken;

	private final boolean autoRenew;

	private final Duration lockAtLeastFor;

	private final Instant acquiredAt = Instant.now();

	private final long acquiredNanos = System.nanoTime();

	private final String holder;

	/** How many hand-overs in this JVM in a row led to this lease. */
	private final int handOvers;

	private final AtomicReference<State> state = new AtomicReference<>(State.HELD);

	private final AtomicInteger depth = new AtomicInteger(1);

	private final AtomicLong nextCheckNanos = new AtomicLong();

	private final List<Runnable> lossCallbacks = new ArrayList<>(1);

	private volatile Duration leaseTime;

	/** When the lease ends by this JVM's clock, in {@link System#nanoTime()} terms. */
	private volatile long deadlineNanos;

	/** When the last successful acquire or renewal was sent. */
	private volatile long validatedNanos;

	private volatile boolean renewing;

	/**
	 * Whether the store handed the lock over for less than the lease: the first renewal
	 * (due even if the lease does not renew) extends it to the whole lease.
	 */
	private volatile boolean claimPending;

	/** The timer's pending check of this lease, to forget when the lease ends. */
	private volatile @Nullable Object timerEntry;

	DefaultLease(LeaseKeeper keeper, LockAttempt attempt, String owner, long fencingToken, Duration leaseTime,
			boolean autoRenew, Duration lockAtLeastFor, long sentNanos, long grantedForNanos, int handOvers,
			String holder) {
		this.keeper = keeper;
		this.attempt = attempt;
		this.owner = owner;
		this.fencingToken = fencingToken;
		this.leaseTime = leaseTime;
		this.autoRenew = autoRenew;
		this.lockAtLeastFor = lockAtLeastFor;
		this.holder = holder;
		this.handOvers = handOvers;
		this.validatedNanos = sentNanos;
		this.claimPending = grantedForNanos > 0 && grantedForNanos < leaseTime.toNanos();
		this.deadlineNanos = deadline(sentNanos, this.claimPending ? Duration.ofNanos(grantedForNanos) : leaseTime);
	}

	/**
	 * Return when a lease sent at the given time ends by this JVM's clock.
	 * @param sentNanos when the acquire or renewal was sent
	 * @param leaseTime the lease time
	 * @return the local deadline
	 */
	static long deadline(long sentNanos, Duration leaseTime) {
		long lease = leaseTime.toNanos();
		long drift = lease / 100 + TimeUnit.MILLISECONDS.toNanos(2);
		return sentNanos + Math.max(lease - drift, lease / 2);
	}

	/**
	 * Start watching the lease: its renewals if it auto-renews, its deadline in any case.
	 */
	void start() {
		scheduleNextCheck();
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
		return Instant.now().plusNanos(this.deadlineNanos - System.nanoTime());
	}

	@Override
	public boolean isValid() {
		return this.state.get() == State.HELD && this.deadlineNanos - System.nanoTime() > 0;
	}

	State state() {
		return this.state.get();
	}

	boolean wasLost() {
		return this.state.get() == State.LOST;
	}

	String owner() {
		return this.owner;
	}

	Duration leaseTime() {
		return this.leaseTime;
	}

	LeaseKeeper keeper() {
		return this.keeper;
	}

	LockAttempt attempt() {
		return this.attempt;
	}

	String holder() {
		return this.holder;
	}

	/**
	 * Run the callback when the lease is lost, at once if it already was. Callbacks run
	 * on the thread that detects the loss and must not block.
	 * @param callback the callback
	 */
	void onLoss(Runnable callback) {
		synchronized (this.lossCallbacks) {
			if (this.state.get() != State.LOST) {
				this.lossCallbacks.add(callback);
				return;
			}
		}
		callback.run();
	}

	@Override
	public boolean extend(Duration leaseTime) {
		Durations.requirePositive(leaseTime, "leaseTime");
		if (!isValid()) {
			return false;
		}
		long sent = System.nanoTime();
		Boolean extended = this.keeper.join(this.keeper.renewOne(new LeaseRenewal(key(), this.owner, leaseTime), true),
				"extend", key());
		if (Boolean.TRUE.equals(extended)) {
			this.leaseTime = leaseTime;
			validated(sent, leaseTime);
			scheduleNextCheck();
			return isValid();
		}
		markLost("extending it found it expired or held by another owner");
		return false;
	}

	// Renewal, driven by LeaseRenewalScheduler

	private void scheduleNextCheck() {
		if (this.state.get() != State.HELD) {
			return;
		}
		long due;
		long slack;
		long deadline = this.deadlineNanos;
		if ((this.autoRenew || this.claimPending) && !this.renewing) {
			// A lock handed over for a short while is claimed a third into that while.
			long lease = this.claimPending ? Math.max(deadline - this.validatedNanos, 0) : this.leaseTime.toNanos();
			due = Math.min(this.validatedNanos + lease / 3, deadline);
			slack = Math.min(lease / 20, Math.max(deadline - due, 0) / 2);
		}
		else {
			due = deadline;
			slack = 0;
		}
		this.nextCheckNanos.set(due);
		this.timerEntry = this.keeper.scheduler().track(this, due, slack);
	}

	/**
	 * Claim the check the timer found due, once: a lease may sit in more than one slot
	 * after it was rescheduled.
	 * @param dueNanos the due time of the timer's entry
	 * @return whether the entry is the lease's current check
	 */
	boolean takeCheck(long dueNanos) {
		return this.nextCheckNanos.compareAndSet(dueNanos, CHECKING);
	}

	/**
	 * Handle a due check on the timer thread: report the lease lost if its deadline
	 * passed, or say that it is due for renewal.
	 * @param now the current time
	 * @return whether the lease joins this tick's renewals
	 */
	boolean checkDue(long now) {
		if (this.state.get() != State.HELD || this.keeper.held().isTerminated()) {
			return false;
		}
		if (this.deadlineNanos - now <= 0) {
			markLost("its lease ended at the local deadline without a successful renewal (the store did not answer "
					+ "in time or could not be reached)");
			return false;
		}
		if ((!this.autoRenew && !this.claimPending) || this.renewing) {
			scheduleNextCheck();
			return false;
		}
		this.renewing = true;
		// Until the renewal answers, the next check is the deadline.
		scheduleNextCheck();
		return true;
	}

	/**
	 * Apply the outcome of a renewal.
	 * @param sentNanos when the renewal was sent
	 * @param renewed whether the store extended the lease, or {@code null} if it failed
	 * @param failure the failure, if it failed
	 */
	void renewed(long sentNanos, @Nullable Boolean renewed, @Nullable Throwable failure) {
		this.renewing = false;
		State current = this.state.get();
		if (Boolean.TRUE.equals(renewed)) {
			if (current == State.LOST) {
				// The store extended a lease this JVM already gave up: release it so it
				// does not stay held by nobody.
				this.keeper.releaseAbandoned(key(), this.owner, this.leaseTime);
				return;
			}
			if (current != State.HELD) {
				return;
			}
			this.claimPending = false;
			validated(sentNanos, this.leaseTime);
			if (logger.isDebugEnabled()) {
				logger.debug("Renewed lock '" + key() + "' (fencing token " + this.fencingToken + ")");
			}
			this.keeper.listener().onRenewed(this.attempt, this, true);
			scheduleNextCheck();
		}
		else if (renewed != null) {
			if (current == State.HELD) {
				this.keeper.listener().onRenewed(this.attempt, this, false);
				markLost("a renewal found it expired or held by another owner");
			}
		}
		else if (current == State.HELD) {
			this.keeper.listener().onRenewed(this.attempt, this, false);
			long remaining = this.deadlineNanos - System.nanoTime();
			long retry = Math.max(MIN_RENEWAL_RETRY_NANOS, Math.min(remaining / 5, MAX_RENEWAL_RETRY_NANOS));
			logger.warn("Failed to renew lock '" + key() + "'; retrying in " + TimeUnit.NANOSECONDS.toMillis(retry)
					+ " ms, before its lease ends in " + TimeUnit.NANOSECONDS.toMillis(Math.max(remaining, 0)) + " ms: "
					+ ((failure != null) ? failure.getMessage() : "no answer"));
			long due = Math.min(System.nanoTime() + retry, this.deadlineNanos);
			this.nextCheckNanos.set(due);
			this.timerEntry = this.keeper.scheduler().track(this, due, 0);
		}
	}

	private void validated(long sentNanos, Duration leaseTime) {
		if (sentNanos - this.validatedNanos > 0) {
			this.validatedNanos = sentNanos;
			this.deadlineNanos = deadline(sentNanos, leaseTime);
		}
	}

	/**
	 * Mark the lease lost if it is still held, and tell everyone who listens.
	 * @param reason why, for the log
	 */
	void markLost(String reason) {
		if (!this.state.compareAndSet(State.HELD, State.LOST)) {
			return;
		}
		this.keeper.scheduler().untrack(this.timerEntry);
		reportLost(reason);
	}

	private void reportLost(String reason) {
		List<Runnable> callbacks;
		synchronized (this.lossCallbacks) {
			callbacks = List.copyOf(this.lossCallbacks);
			this.lossCallbacks.clear();
		}
		logger.warn("Lost lock '" + this.keeper.describe(key()) + "' (fencing token " + this.fencingToken
				+ ", held by '" + this.holder + "'): " + reason + ". Another holder may run at the same time.");
		this.keeper.listener().onLost(this.attempt, this);
		for (Runnable callback : callbacks) {
			try {
				callback.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Lost-lease callback failed", ex);
			}
		}
	}

	// Reentrancy and release

	/**
	 * Enter the lease once more from the same invocation context.
	 * @return a view whose {@code close()} leaves one level
	 */
	Lease reenter() {
		this.depth.incrementAndGet();
		return new ReentrantLease(this);
	}

	@Override
	public void close() {
		LockContext.closedByThisThread(this);
		CompletableFuture<Void> released = closeAsync(true);
		// The release is bounded by the template's timer; this bound holds also if that
		// timer stopped running, so that closing never blocks for ever.
		long bound = this.keeper.calls().attemptTimeout(false, 0).toNanos() + CLOSE_MARGIN_NANOS;
		try {
			released.get(bound, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			logger.error("Releasing lock '" + key() + "' did not end within the store time-out and "
					+ TimeUnit.NANOSECONDS.toMillis(CLOSE_MARGIN_NANOS) + " ms more: the distributed-lock-timer "
					+ "thread does not run its tasks. Closing goes on; the lock expires with its lease unless the "
					+ "release still arrives. Please report this with a thread dump.");
		}
		catch (InterruptedException ex) {
			// The release goes on without this thread; the lease bounds the lock.
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | RuntimeException ex) {
			// Already logged and counted: closing never throws.
		}
	}

	/**
	 * Leave one level, and release the lock when it was the outermost.
	 * @param callerBlocks whether the calling thread may block on the store
	 * @return a stage that completes when the release is done (never exceptionally)
	 */
	CompletableFuture<Void> closeAsync(boolean callerBlocks) {
		if (this.depth.decrementAndGet() > 0) {
			return CompletableFuture.completedFuture(null);
		}
		if (this.state.get() == State.HELD && this.deadlineNanos - System.nanoTime() <= 0) {
			// The timer has not reported it yet (it runs late, or the release comes
			// within the moment): the lease ended all the same, and a release that
			// cannot reach the store must not hide that.
			markLost("its lease ended at the local deadline without a successful renewal, before it was released");
		}
		State previous = this.state.get();
		while (previous == State.HELD && !this.state.compareAndSet(State.HELD, State.RELEASING)) {
			previous = this.state.get();
		}
		if (previous == State.RELEASING || previous == State.RELEASED) {
			return CompletableFuture.completedFuture(null);
		}
		boolean wasHeld = previous == State.HELD;
		this.keeper.scheduler().untrack(this.timerEntry);
		Duration held = Duration.ofNanos(System.nanoTime() - this.acquiredNanos);
		Duration keepFor = this.lockAtLeastFor.minus(held);
		boolean keep = wasHeld && keepFor.toNanos() > 0;
		// A lost lease is released too: it may still be this owner's in the store (a
		// partition ended the local deadline), and the release checks the owner.
		CompletableFuture<Boolean> release = keep
				? this.keeper.renewOne(new LeaseRenewal(key(), this.owner, keepFor), callerBlocks)
				: this.keeper.release(key(), this.owner, callerBlocks, this.handOvers);
		return release.handle((stillOwned, failure) -> {
			try {
				if (failure != null) {
					releaseFailed(failure, held, wasHeld);
				}
				else {
					released(Boolean.TRUE.equals(stillOwned), wasHeld, held, keep ? keepFor : Duration.ZERO);
				}
			}
			finally {
				// Only now: shutdown waits for the active leases, and must not close the
				// store under a release that is still on its way.
				this.keeper.ended(this);
			}
			return null;
		});
	}

	private void released(boolean stillOwned, boolean wasHeld, Duration held, Duration keptFor) {
		if (wasHeld) {
			this.state.set(stillOwned ? State.RELEASED : State.LOST);
		}
		if (wasHeld && !stillOwned) {
			reportLost("the release found it expired or held by another owner after " + held.toMillis() + " ms");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Released lock '" + key() + "' after " + held.toMillis() + " ms"
					+ (keptFor.isZero() ? "" : "; kept in the store for " + keptFor.toMillis() + " ms more"));
		}
		this.keeper.listener().onReleased(this.attempt, this, held);
	}

	private void releaseFailed(Throwable failure, Duration held, boolean wasHeld) {
		if (wasHeld) {
			this.state.set(State.RELEASED);
		}
		LockStoreException error = StoreCalls.asStoreException(failure, "release", key());
		if (this.keeper.held().isTerminated()) {
			logger.info("Lock '" + this.keeper.describe(key()) + "' was not released: the application shut down "
					+ "first, so it expires with its lease");
			this.keeper.listener().onReleased(this.attempt, this, held);
			return;
		}
		logger.warn("Failed to release lock '" + key() + "'; retrying in the background until the store answers or "
				+ "the lease ends: " + error.getMessage());
		this.keeper.listener().onReleaseFailed(this.attempt, this, error);
		this.keeper.listener().onReleased(this.attempt, this, held);
		this.keeper.releaseAbandoned(key(), this.owner,
				Duration.ofNanos(Math.max(this.deadlineNanos - System.nanoTime(), 0)).plus(this.leaseTime));
	}

	HeldLock snapshot() {
		return new HeldLock(key().namespace(), key().asString(), this.fencingToken, this.acquiredAt, expiresAt(),
				this.holder);
	}

	@Override
	public String toString() {
		return "Lease[key=" + key() + ", fencingToken=" + this.fencingToken + ", state=" + this.state.get() + "]";
	}

	/**
	 * The view a reentrant acquisition gets: closing it only leaves one level.
	 */
	static final class ReentrantLease implements Lease {

		private final DefaultLease outer;

		private final AtomicInteger closed = new AtomicInteger();

		ReentrantLease(DefaultLease outer) {
			this.outer = outer;
		}

		DefaultLease outer() {
			return this.outer;
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

		CompletableFuture<Void> closeAsync() {
			return this.closed.compareAndSet(0, 1) ? this.outer.closeAsync(false)
					: CompletableFuture.completedFuture(null);
		}

		@Override
		public String toString() {
			return "Reentrant" + this.outer;
		}

	}

}
