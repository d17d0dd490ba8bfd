package dev.distlock.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One acquisition of a lock, waiting included, without a thread: a chain of store
 * attempts, each started by the previous one's answer, a release announcement, or a timer
 * on the shared scheduler.
 * <p>
 * It attempts once; if the lock is held and the caller waits, it subscribes to the
 * store's release announcements, attempts again once the subscription is ready (a release
 * between the first attempt and the subscription is not missed), and then attempts
 * whenever a release is announced or the holder's lease ends, at the latest after the
 * store's poll interval and never after the wait time. In this JVM, waiters of a key form
 * a queue: a release here wakes the longest waiter at once, and a newcomer does not
 * overtake waiters that were there before it.
 * <p>
 * The {@link #result() result} completes with the grant, with {@code null} when the lock
 * stayed held, or with a {@link LockStoreException}. Cancelling it stops the wait.
 * Whenever the acquisition ends without handing a grant to the caller after an attempt
 * was sent (cancelled, failed, timed out, or a wait that ended in the store's queue), the
 * request is {@linkplain LockStore#abandon abandoned}, so a late success in the store
 * never leaves a lock held by nobody.
 *
 * @author Distributed Lock team
 */
final class Acquisition {

	private static final Log logger = LogFactory.getLog(LockTemplate.class);

	private static final long MIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	/** How many poll intervals a waiter behind another of this JVM sleeps at most. */
	private static final long QUEUED_POLL_FACTOR = 20;

	/** The shortest safety-net retry of a waiter behind another of this JVM. */
	private static final long QUEUED_POLL_FLOOR_NANOS = TimeUnit.SECONDS.toNanos(5);

	/**
	 * The least time a lock handed over by the store must still be valid to be taken as
	 * it is; with less, the waiter claims it by an attempt.
	 */
	private static final long MIN_HANDED_VALIDITY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	/**
	 * Beyond the wait and the last attempt's bound, how long a blocked caller waits for
	 * the acquisition before it reports the timer as stuck: the template's grace on store
	 * calls and a few timer ticks.
	 */
	private static final long BACKSTOP_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(2);

	private enum Phase {

		/** An attempt is on its way to the store. */
		ATTEMPTING,

		/** Waiting for the subscription to be ready. */
		SUBSCRIBING,

		/** Waiting for a release announcement or the timer. */
		WAITING,

		/** The result is complete. */
		DONE

	}

	private final LeaseKeeper keeper;

	private final LockKey key;

	private final String owner;

	private final Duration leaseTime;

	private final boolean fair;

	private final boolean waits;

	/**
	 * Whether a lock the store hands over with a short validity may be taken as it is:
	 * only for leases that renew, whose first renewal extends it to the whole lease.
	 */
	private final boolean takesHandedLocks;

	private final LockWaitListener listener = new LockWaitListener() {

		@Override
		public boolean released() {
			return wake();
		}

		@Override
		public boolean granted(long fencingToken, long validFromNanos, Duration validFor) {
			return handed(fencingToken, validFromNanos, validFor);
		}

	};

	private final long deadlineNanos;

	private final CompletableFuture<@Nullable Grant> result = new CompletableFuture<>();

	private Phase phase = Phase.ATTEMPTING;

	private boolean signalled;

	private boolean sentAny;

	private boolean queuedInStore;

	private boolean shuttingDown;

	private boolean queuedBehindLocalWaiters;

	/** Whether the store handed the lock to this waiter (not an attempt's answer). */
	private boolean handedByStore;

	private @Nullable WaitSubscription subscription;

	private @Nullable ScheduledFuture<?> timer;

	private @Nullable LockRequest lastRequest;

	/** How many hand-overs in this JVM in a row the attempt under way continues. */
	private int handOvers;

	Acquisition(LeaseKeeper keeper, LockKey key, String owner, Duration leaseTime, Duration waitTime, boolean fair,
			boolean renews) {
		this.keeper = keeper;
		this.takesHandedLocks = renews;
		this.key = key;
		this.owner = owner;
		this.leaseTime = leaseTime;
		this.fair = fair;
		this.waits = !waitTime.isZero();
		this.deadlineNanos = System.nanoTime() + waitTime.toNanos();
		this.result.whenComplete((grant, failure) -> ended());
	}

	LockKey key() {
		return this.key;
	}

	/**
	 * Return how long a caller may wait for {@link #result()} at most: the rest of the
	 * wait, then the last attempt's bound and the template's grace beyond it, and a
	 * margin. The acquisition always ends before that unless the timer stopped running.
	 * @return the time from now in nanoseconds
	 */
	long backstopNanos() {
		long remaining = Math.max(this.deadlineNanos - System.nanoTime(), 0);
		long bound = this.keeper.calls().attemptTimeout(false, 0).toNanos() + BACKSTOP_MARGIN_NANOS;
		return (remaining > Long.MAX_VALUE - bound) ? Long.MAX_VALUE : remaining + bound;
	}

	/**
	 * Describe the acquisition's state, for a diagnostic message.
	 * @return the description
	 */
	String describe() {
		synchronized (this) {
			return "phase " + this.phase + ", signalled " + this.signalled + ", subscribed "
					+ (this.subscription != null) + ", retry timer "
					+ ((this.timer != null) ? "due in " + this.timer.getDelay(TimeUnit.MILLISECONDS) + " ms" : "none");
		}
	}

	String owner() {
		return this.owner;
	}

	CompletableFuture<@Nullable Grant> result() {
		return this.result;
	}

	/**
	 * Return whether the acquisition was ended by the application shutting down.
	 * @return whether it ended for shutdown
	 */
	boolean wasShutDown() {
		return this.shuttingDown;
	}

	/**
	 * Start acquiring.
	 * @param callerBlocks whether the first attempt may block the calling thread
	 */
	void start(boolean callerBlocks) {
		HeldLeases held = this.keeper.held();
		held.started(this);
		if (this.waits && !this.fair && held.hasWaiters(this.key)) {
			// Others of this JVM wait for the key: queue behind them rather than take
			// the lock from the one a release is about to wake.
			synchronized (this) {
				if (this.phase == Phase.DONE) {
					return;
				}
				held.startWaiting(this);
				this.phase = Phase.WAITING;
				this.queuedBehindLocalWaiters = true;
			}
			subscribe();
			return;
		}
		attempt(callerBlocks);
	}

	private void attempt(boolean callerBlocks) {
		LockRequest request;
		synchronized (this) {
			if (this.phase == Phase.DONE) {
				return;
			}
			request = nextRequestLocked(0);
		}
		long sent = System.nanoTime();
		this.keeper.calls()
			.tryAcquire(request, callerBlocks)
			.whenComplete((answer, failure) -> answered(request, sent, answer, failure));
	}

	private LockRequest nextRequestLocked(int handOvers) {
		cancelTimerLocked();
		this.phase = Phase.ATTEMPTING;
		this.signalled = false;
		this.sentAny = true;
		this.handOvers = handOvers;
		long remaining = Math.max(this.deadlineNanos - System.nanoTime(), 0);
		LockRequest request = new LockRequest(this.key, this.owner, this.leaseTime,
				this.waits ? Duration.ofNanos(remaining) : Duration.ZERO, this.fair,
				this.keeper.calls().attemptTimeout(this.waits, remaining));
		this.lastRequest = request;
		this.queuedInStore |= request.isWaiting();
		return request;
	}

	/**
	 * Become the next holder of a lock that a holder in this JVM is releasing: if this
	 * waiter is waiting (not attempting already), its next attempt is the hand-over, and
	 * {@link #answered} receives its outcome.
	 * @param streak how many hand-overs in this JVM led to the releasing lease
	 * @return the request to hand the lock over to, or {@code null} if this waiter cannot
	 * take it now
	 */
	@Nullable LockRequest takeForHandOver(int streak) {
		synchronized (this) {
			if (this.phase != Phase.WAITING || this.subscription == null
					|| this.deadlineNanos - System.nanoTime() <= 0) {
				return null;
			}
			return nextRequestLocked(streak + 1);
		}
	}

	/**
	 * Receive the outcome of an attempt (or of a hand-over) sent at the given time.
	 * @param request the attempt
	 * @param sentNanos when it was sent
	 * @param answer the store's answer, or {@code null} if it failed
	 * @param failure the failure, or {@code null}
	 */
	void answered(LockRequest request, long sentNanos, @Nullable AcquireResult answer, @Nullable Throwable failure) {
		Step step;
		Duration holderRemaining = null;
		int streak;
		WaitSubscription finished = null;
		synchronized (this) {
			streak = this.handOvers;
			if (this.phase == Phase.DONE) {
				// Cancelled or shut down while the attempt was under way: undo a success
				// or an unknown outcome. Unless the store handed the lock to this waiter
				// meanwhile: then the attempt found it owned (and extended it), and it is
				// the caller's.
				step = (!this.handedByStore
						&& (failure != null || (answer != null && answer.isAcquired()) || request.isWaiting()))
								? Step.ABANDON : Step.NONE;
			}
			else if (failure != null) {
				this.phase = Phase.DONE;
				finished = detachSubscriptionLocked();
				step = Step.FAIL;
			}
			else if (answer != null && answer.isAcquired()) {
				this.phase = Phase.DONE;
				finished = detachSubscriptionLocked();
				step = Step.GRANT;
			}
			else {
				long remaining = this.deadlineNanos - System.nanoTime();
				if (!this.waits || remaining <= 0) {
					this.phase = Phase.DONE;
					finished = detachSubscriptionLocked();
					step = Step.NOT_ACQUIRED;
				}
				else if (this.signalled) {
					// A release came while the attempt was under way.
					step = Step.ATTEMPT;
				}
				else if (this.subscription == null) {
					this.keeper.held().startWaiting(this);
					this.phase = Phase.SUBSCRIBING;
					step = Step.SUBSCRIBE;
				}
				else {
					this.phase = Phase.WAITING;
					holderRemaining = (answer != null) ? answer.holderLeaseRemaining() : null;
					scheduleRetryLocked(remaining, holderRemaining);
					step = Step.NONE;
				}
			}
		}
		if (finished != null) {
			// Before the caller learns the outcome: a release announced from now on goes
			// to a waiter that still waits, never to this one.
			finished.close();
		}
		switch (step) {
			case ABANDON -> abandon(request);
			case FAIL -> {
				this.result.completeExceptionally(StoreCalls.asStoreException(failure, "acquire", this.key));
				abandon(request);
			}
			case GRANT -> {
				if (!this.result.complete(new Grant(answer.fencingToken(), sentNanos, streak))) {
					abandon(request);
				}
			}
			case NOT_ACQUIRED -> {
				this.result.complete(null);
				if (this.queuedInStore) {
					abandon(request);
				}
			}
			case ATTEMPT -> attempt(false);
			case SUBSCRIBE -> subscribe();
			case NONE -> {
			}
		}
	}

	private @Nullable WaitSubscription detachSubscriptionLocked() {
		WaitSubscription subscribed = this.subscription;
		this.subscription = null;
		return subscribed;
	}

	private void subscribe() {
		WaitSubscription subscribed = this.keeper.calls().subscribe(this.key, this.owner, this.listener);
		boolean close;
		synchronized (this) {
			close = this.phase == Phase.DONE;
			if (!close) {
				this.subscription = subscribed;
			}
		}
		if (close) {
			subscribed.close();
			return;
		}
		subscribed.ready().whenComplete((ready, failure) -> subscriptionReady());
	}

	private void subscriptionReady() {
		synchronized (this) {
			if (this.phase != Phase.SUBSCRIBING && this.phase != Phase.WAITING) {
				return;
			}
			if (this.queuedBehindLocalWaiters && this.phase == Phase.WAITING && !this.signalled) {
				// A newcomer queued behind local waiters: wait for its turn, with the
				// poll interval as the safety net.
				scheduleRetryLocked(this.deadlineNanos - System.nanoTime(), null);
				return;
			}
		}
		attempt(false);
	}

	private void scheduleRetryLocked(long remainingNanos, @Nullable Duration holderRemaining) {
		long poll = this.keeper.calls().store().pollInterval().toNanos();
		if (!this.fair && !this.keeper.held().isFirstWaiter(this)) {
			// Only the longest waiter of this JVM polls the store for the key: the others
			// are served by its hand-over when it releases, or woken by an announced
			// release, so that a thousand waiters cost one poll, not a thousand. This
			// longer retry is their safety net; promoted() shortens it when they lead.
			poll = Math.max(poll * QUEUED_POLL_FACTOR, QUEUED_POLL_FLOOR_NANOS);
		}
		long delay = Math.min(remainingNanos, poll);
		if (holderRemaining != null) {
			delay = Math.min(delay, Math.max(holderRemaining.toNanos(), MIN_RETRY_NANOS));
		}
		try {
			this.timer = this.keeper.scheduler().schedule(() -> attempt(false), Math.max(delay, 0));
		}
		catch (RejectedExecutionException ex) {
			// The timer is closed: the application is shutting down. Finish outside
			// this lock.
			CompletableFuture.runAsync(this::shutDown);
		}
	}

	/**
	 * This waiter has become the longest waiter of this JVM for its key: it now polls the
	 * store at the poll interval instead of its longer safety-net retry.
	 */
	void promoted() {
		synchronized (this) {
			if (this.phase != Phase.WAITING || this.timer == null || this.fair) {
				return;
			}
			long remaining = this.deadlineNanos - System.nanoTime();
			long poll = this.keeper.calls().store().pollInterval().toNanos();
			if (this.timer.getDelay(TimeUnit.NANOSECONDS) <= Math.min(remaining, poll)) {
				return;
			}
			cancelTimerLocked();
			scheduleRetryLocked(remaining, null);
		}
	}

	/**
	 * A release may let this waiter acquire: attempt now.
	 * @return whether it was still waiting (else the next waiter should be woken)
	 */
	boolean wake() {
		synchronized (this) {
			if (this.phase == Phase.DONE) {
				return false;
			}
			if (this.phase != Phase.WAITING) {
				this.signalled = true;
				return true;
			}
		}
		attempt(false);
		return true;
	}

	/**
	 * The store handed the lock to this waiter.
	 * @param fencingToken the token of the holding
	 * @param validFromNanos when the hand-over began at the latest
	 * @param validFor how long the store keeps the lock for this waiter from then
	 * @return whether this waiter took it (else the store passes it on)
	 * @see LockWaitListener#granted
	 */
	private boolean handed(long fencingToken, long validFromNanos, Duration validFor) {
		boolean claim;
		WaitSubscription finished = null;
		LockRequest request;
		synchronized (this) {
			if (this.phase == Phase.DONE) {
				return false;
			}
			claim = !this.takesHandedLocks
					|| DefaultLease.deadline(validFromNanos, validFor) - System.nanoTime() < MIN_HANDED_VALIDITY_NANOS;
			if (!claim) {
				cancelTimerLocked();
				this.phase = Phase.DONE;
				this.handedByStore = true;
				finished = detachSubscriptionLocked();
			}
			request = (this.lastRequest != null) ? this.lastRequest : new LockRequest(this.key, this.owner,
					this.leaseTime, Duration.ZERO, this.fair, this.keeper.calls().attemptTimeout(false, 0));
		}
		if (claim) {
			// Too little of it left to start work under, or a lease that does not renew:
			// an attempt claims it for the whole lease (the store finds it owned by this
			// waiter).
			wake();
			return true;
		}
		// Before the caller learns it, as for an attempt's grant: closing may tell the
		// store that this instance no longer waits, which must reach the store before
		// the new holder's release does.
		if (finished != null) {
			finished.close();
		}
		if (!this.result.complete(new Grant(fencingToken, validFromNanos, 0, validFor.toNanos()))) {
			// Cancelled at this very moment: give the lock back.
			abandon(request);
		}
		return true;
	}

	/**
	 * Wake this waiter for a release in this JVM.
	 * @return whether it was waiting and is now woken (else the next waiter is woken)
	 */
	boolean wakeLocally() {
		synchronized (this) {
			if (this.phase == Phase.DONE || this.signalled) {
				return false;
			}
			if (this.phase != Phase.WAITING) {
				this.signalled = true;
				return true;
			}
		}
		attempt(false);
		return true;
	}

	/**
	 * End the acquisition as not acquired because the application is shutting down.
	 */
	void shutDown() {
		LockRequest request;
		synchronized (this) {
			if (this.phase == Phase.DONE) {
				return;
			}
			boolean inFlight = this.phase == Phase.ATTEMPTING && this.sentAny;
			this.shuttingDown = true;
			this.phase = Phase.DONE;
			request = (!inFlight && this.queuedInStore) ? this.lastRequest : null;
		}
		this.result.complete(null);
		if (request != null) {
			abandon(request);
		}
	}

	private void ended() {
		LockRequest request = null;
		WaitSubscription subscribed;
		synchronized (this) {
			if (this.phase != Phase.DONE) {
				// Completed from outside: cancelled by the caller.
				boolean inFlight = this.phase == Phase.ATTEMPTING && this.sentAny;
				this.phase = Phase.DONE;
				if (!inFlight && this.queuedInStore) {
					request = this.lastRequest;
				}
			}
			cancelTimerLocked();
			subscribed = this.subscription;
			this.subscription = null;
		}
		if (subscribed != null) {
			subscribed.close();
		}
		this.keeper.held().finished(this);
		if (request != null) {
			abandon(request);
		}
	}

	private void cancelTimerLocked() {
		ScheduledFuture<?> pending = this.timer;
		if (pending != null) {
			pending.cancel(false);
			this.timer = null;
		}
	}

	private void abandon(LockRequest request) {
		this.keeper.calls().abandon(request, false).whenComplete((released, failure) -> {
			if (failure != null) {
				// The outcome of the attempt is unknown and the store does not answer:
				// keep trying, so that a late success does not hold the lock for a lease.
				this.keeper.releaseAbandoned(this.key, this.owner, this.leaseTime);
			}
			else if (Boolean.TRUE.equals(released)) {
				if (logger.isDebugEnabled()) {
					logger.debug("Released lock '" + this.key + "', acquired by an attempt whose caller had gone");
				}
				this.keeper.held().releasedLocally(this.key);
			}
		});
	}

	private enum Step {

		NONE, ABANDON, FAIL, GRANT, NOT_ACQUIRED, ATTEMPT, SUBSCRIBE

	}

	/**
	 * A successful attempt.
	 *
	 * @param fencingToken the new holder's fencing token
	 * @param sentNanos when the successful attempt was sent
	 * @param handOvers how many hand-overs in this JVM in a row led to it, zero if an
	 * ordinary attempt acquired it
	 * @param validForNanos how long the store keeps the lock from {@code sentNanos} if it
	 * handed the lock over for less than the lease (the holder's first renewal extends
	 * it), else zero: the whole lease
	 */
	record Grant(long fencingToken, long sentNanos, int handOvers, long validForNanos) {

		Grant(long fencingToken, long sentNanos, int handOvers) {
			this(fencingToken, sentNanos, handOvers, 0);
		}

	}

}
