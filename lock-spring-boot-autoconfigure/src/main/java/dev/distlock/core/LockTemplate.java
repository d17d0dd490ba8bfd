package dev.distlock.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

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
 *
 * CompletableFuture&lt;Report&gt; report = lockTemplate.executeAsync(LockKey.of("report", day), options,
 *         () -&gt; reportService.computeAsync(day));
 * </pre>
 *
 * The blocking methods ({@code execute}, {@code acquire}, {@code tryAcquire}) wait on the
 * calling thread; the asynchronous ones ({@code executeAsync}, {@code tryAcquireAsync})
 * return at once and occupy no thread while they wait: a waiting caller is a pending
 * completion, woken by the store's release announcement or the shared timer. An
 * asynchronous section starts on the calling thread when the lock is free at once, else
 * on the {@linkplain Builder#asyncExecutor async executor} (never on a store's I/O thread
 * or on the timer).
 * <p>
 * Locks are reentrant within an invocation context (see {@link LockContext}), leases are
 * renewed in batches by the {@link LeaseRenewalScheduler}, and a lease that ends by the
 * clock without a successful renewal is lost (see {@link Lease#isValid()}). Everything is
 * reported to the {@link LockListener}.
 *
 * @author Distributed Lock team
 */
public class LockTemplate {

	private static final Log logger = LogFactory.getLog(LockTemplate.class);

	private final LockStore store;

	private final LockSettings settings;

	private final LockListener listener;

	private final Executor asyncExecutor;

	private final HeldLeases held = new HeldLeases();

	private final LeaseKeeper keeper;

	/**
	 * Create a template with a five second bound on store calls, running asynchronous
	 * sections on the common fork-join pool.
	 * @param store the lock store
	 * @param settings the defaults to apply
	 * @param scheduler the timer that renews leases and wakes waiters
	 * @param listener the listener to report to ({@link LockListener#NONE} for none)
	 */
	public LockTemplate(LockStore store, LockSettings settings, LeaseRenewalScheduler scheduler,
			LockListener listener) {
		this(builder(store).settings(settings).scheduler(scheduler).listener(listener));
	}

	private LockTemplate(Builder builder) {
		this.store = builder.store;
		this.settings = builder.settings;
		this.listener = builder.listener;
		this.asyncExecutor = builder.asyncExecutor;
		LeaseRenewalScheduler scheduler = Objects.requireNonNull(builder.scheduler, "scheduler must not be null");
		this.keeper = new LeaseKeeper(new StoreCalls(this.store, builder.storeTimeout, scheduler), scheduler,
				this.listener, this.held);
	}

	/**
	 * Start building a template on a store.
	 * @param store the lock store
	 * @return a builder
	 */
	public static Builder builder(LockStore store) {
		return new Builder(store);
	}

	// Blocking

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
	 * Try to acquire the lock, waiting up to the wait time on the calling thread.
	 * @param key the lock key
	 * @param options the options for this lock
	 * @return the lease, or empty if the lock stayed held by another owner (or the
	 * application is shutting down)
	 * @throws LockStoreException if the store failed
	 */
	public Optional<Lease> tryAcquire(LockKey key, LockOptions options) {
		return Optional.ofNullable(acquireBlocking(key, options).lease());
	}

	/**
	 * Acquire the lock, waiting up to the wait time on the calling thread, or fail.
	 * @param key the lock key
	 * @param options the options for this lock
	 * @return the lease; close it to release the lock
	 * @throws LockNotAcquiredException if the lock stayed held by another owner, or the
	 * application is shutting down
	 * @throws LockStoreException if the store failed
	 */
	public Lease acquire(LockKey key, LockOptions options) {
		Outcome outcome = acquireBlocking(key, options);
		Lease lease = outcome.lease();
		if (lease == null) {
			throw outcome.notAcquired(key);
		}
		return lease;
	}

	private Outcome acquireBlocking(LockKey key, LockOptions options) {
		Objects.requireNonNull(key, "key must not be null");
		Objects.requireNonNull(options, "options must not be null");
		Outcome reentered = reenter(key);
		if (reentered != null) {
			return reentered;
		}
		Started started = start(key, options, true);
		if (started.outcome != null) {
			return started.outcome;
		}
		Acquisition acquisition = started.acquisition;
		Acquisition.Grant grant;
		try {
			grant = acquisition.result().get(acquisition.backstopNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			String state = acquisition.describe();
			if (acquisition.result().cancel(false)) {
				throw stalled(started, state, ex);
			}
			grant = endedMeanwhile(started);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			if (acquisition.result().cancel(false)) {
				Duration waited = started.attempt.elapsed();
				this.listener.onNotAcquired(started.attempt, waited);
				throw new LockNotAcquiredException(key, waited,
						"Interrupted while waiting for lock '" + key + "' after " + waited.toMillis() + " ms", ex);
			}
			// Granted at this very moment: the lock is the caller's (the interrupt stays
			// set), rather than held in the store with nobody to release it.
			grant = endedMeanwhile(started);
		}
		catch (ExecutionException ex) {
			throw failed(started, ex.getCause());
		}
		Outcome outcome = granted(started, grant, Thread.currentThread().getName());
		if (outcome.lease() != null) {
			LockContext.acquiredByThisThread(outcome.lease());
		}
		return outcome;
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
				ex.addSuppressed(lost(lease));
			}
			throw ex;
		}
		LockContext.pop();
		lease.close();
		if (isLostAndThrowing(lease)) {
			throw lost(lease);
		}
		return result;
	}

	// Asynchronous

	/**
	 * Run an asynchronous section under the lock without blocking the caller: the
	 * returned future is there at once, also while the lock is waited for. The section
	 * starts once the lock is held and the lock is released when the stage it returns
	 * completes.
	 * @param key the lock key
	 * @param options the options for this lock
	 * @param section supplies the work; its synchronous part sees the lease in
	 * {@link LockContext}
	 * @param <T> the result type
	 * @return the section's outcome; fails with {@link LockNotAcquiredException} if the
	 * lock stayed held, {@link LockStoreException} if the store failed, and
	 * {@link LockLostException} as soon as the lease is lost when
	 * {@code distributed-lock.on-lease-lost=throw}. Cancelling it before the lock is held
	 * stops waiting.
	 */
	public <T extends @Nullable Object> CompletableFuture<T> executeAsync(LockKey key, LockOptions options,
			Supplier<? extends CompletionStage<T>> section) {
		Objects.requireNonNull(section, "section must not be null");
		CompletableFuture<Optional<Lease>> acquired = acquireAsync(key, options, true);
		CompletableFuture<T> result = new CompletableFuture<>();
		result.whenComplete((value, failure) -> {
			if (result.isCancelled()) {
				acquired.cancel(false);
			}
		});
		boolean immediately = acquired.isDone();
		acquired.whenComplete((lease, failure) -> {
			if (failure != null) {
				// Not acquired, or the store failed: acquireAsync made the exception.
				result.completeExceptionally(StoreCalls.unwrap(failure));
			}
			else if (result.isDone()) {
				releaseAsync(lease.get());
			}
			else if (immediately) {
				runHoldingAsync(lease.get(), section, result);
			}
			else {
				try {
					this.asyncExecutor.execute(() -> runHoldingAsync(lease.get(), section, result));
				}
				catch (RejectedExecutionException ex) {
					releaseAsync(lease.get());
					result.completeExceptionally(ex);
				}
			}
		});
		return result;
	}

	/**
	 * Acquire the lock without blocking the caller, waiting up to the wait time, or fail.
	 * Release the lease with {@link #releaseAsync(Lease)} (or {@code close()} from a
	 * thread that may block).
	 * @param key the lock key
	 * @param options the options for this lock
	 * @return the lease; fails with {@link LockNotAcquiredException} if the lock stayed
	 * held (or the application is shutting down), with {@link LockStoreException} if the
	 * store failed. Cancelling it stops waiting, and a lease acquired meanwhile is
	 * released.
	 */
	public CompletableFuture<Lease> acquireAsync(LockKey key, LockOptions options) {
		CompletableFuture<Optional<Lease>> acquired = acquireAsync(key, options, true);
		CompletableFuture<Lease> result = new CompletableFuture<>();
		result.whenComplete((lease, failure) -> {
			if (result.isCancelled()) {
				acquired.cancel(false);
			}
		});
		acquired.whenComplete((lease, failure) -> {
			if (failure != null) {
				result.completeExceptionally(StoreCalls.unwrap(failure));
			}
			else if (!result.complete(lease.orElseThrow())) {
				releaseAsync(lease.get());
			}
		});
		return result;
	}

	/**
	 * Try to acquire the lock without blocking the caller, waiting up to the wait time.
	 * Release the lease with {@link #releaseAsync(Lease)} (or {@code close()} from a
	 * thread that may block).
	 * @param key the lock key
	 * @param options the options for this lock
	 * @return the lease, or empty if the lock stayed held (or the application is shutting
	 * down); fails with {@link LockStoreException} if the store failed. Cancelling it
	 * stops waiting, and a lease acquired meanwhile is released.
	 */
	public CompletableFuture<Optional<Lease>> tryAcquireAsync(LockKey key, LockOptions options) {
		return acquireAsync(key, options, false);
	}

	private CompletableFuture<Optional<Lease>> acquireAsync(LockKey key, LockOptions options,
			boolean failIfNotAcquired) {
		Objects.requireNonNull(key, "key must not be null");
		Objects.requireNonNull(options, "options must not be null");
		Outcome reentered = reenter(key);
		if (reentered != null) {
			return complete(key, reentered, failIfNotAcquired);
		}
		Started started = start(key, options, false);
		if (started.outcome != null) {
			return complete(key, started.outcome, failIfNotAcquired);
		}
		String holder = "async, started on " + Thread.currentThread().getName();
		CompletableFuture<Optional<Lease>> result = new CompletableFuture<>();
		Acquisition acquisition = started.acquisition;
		acquisition.result().whenComplete((grant, failure) -> {
			Outcome outcome;
			try {
				if (failure != null) {
					throw failed(started, StoreCalls.unwrap(failure));
				}
				outcome = granted(started, grant, holder);
			}
			catch (RuntimeException ex) {
				result.completeExceptionally(ex);
				return;
			}
			Lease lease = outcome.lease();
			if (lease == null && failIfNotAcquired) {
				result.completeExceptionally(outcome.notAcquired(key));
			}
			else if (!result.complete(Optional.ofNullable(lease)) && lease != null) {
				releaseAsync(lease);
			}
		});
		result.whenComplete((lease, failure) -> {
			if (result.isCancelled()) {
				acquisition.result().cancel(false);
			}
		});
		return result;
	}

	private CompletableFuture<Optional<Lease>> complete(LockKey key, Outcome outcome, boolean failIfNotAcquired) {
		Lease lease = outcome.lease();
		if (lease == null && failIfNotAcquired) {
			return CompletableFuture.failedFuture(outcome.notAcquired(key));
		}
		return CompletableFuture.completedFuture(Optional.ofNullable(lease));
	}

	/**
	 * Run an asynchronous section while holding a lease acquired from this template, and
	 * release the lease without blocking when the stage it returns completes.
	 * @param lease the lease
	 * @param section supplies the work; its synchronous part sees the lease in
	 * {@link LockContext}
	 * @param <T> the result type
	 * @return the section's outcome, once the lease is released; fails with
	 * {@link LockLostException} as soon as the lease is lost when
	 * {@code distributed-lock.on-lease-lost=throw}
	 */
	public <T extends @Nullable Object> CompletableFuture<T> runHoldingAsync(Lease lease,
			Supplier<? extends CompletionStage<T>> section) {
		CompletableFuture<T> result = new CompletableFuture<>();
		runHoldingAsync(lease, section, result);
		return result;
	}

	private <T extends @Nullable Object> void runHoldingAsync(Lease lease,
			Supplier<? extends CompletionStage<T>> section, CompletableFuture<T> result) {
		DefaultLease outer = HeldLeases.outermost(lease);
		boolean throwing = this.settings.getLeaseLostPolicy() == LeaseLostPolicy.THROW && outer != null;
		CompletionStage<T> stage;
		LockContext.push(lease);
		try {
			stage = section.get();
			if (stage == null) {
				stage = CompletableFuture.failedFuture(new IllegalStateException(
						"The section locked on '" + lease.key() + "' returned null instead of a CompletionStage"));
			}
		}
		catch (Throwable ex) {
			stage = CompletableFuture.failedFuture(ex);
		}
		finally {
			LockContext.pop();
		}
		if (throwing) {
			outer.onLoss(() -> result.completeExceptionally(lost(lease)));
		}
		stage.whenComplete((value, failure) -> releaseAsync(lease).whenComplete((released, ignored) -> {
			boolean lost = throwing && outer.wasLost();
			if (failure != null) {
				Throwable cause = StoreCalls.unwrap(failure);
				if (lost) {
					cause.addSuppressed(lost(lease));
				}
				result.completeExceptionally(cause);
			}
			else if (lost) {
				result.completeExceptionally(lost(lease));
			}
			else {
				result.complete(value);
			}
		}));
	}

	/**
	 * Release a lease without blocking the calling thread. Idempotent, like
	 * {@link Lease#close()}.
	 * @param lease the lease
	 * @return a stage that completes when the release is done; never exceptionally (a
	 * failed release is logged and counted, and retried in the background)
	 */
	public CompletableFuture<Void> releaseAsync(Lease lease) {
		if (lease instanceof DefaultLease own) {
			return own.closeAsync(false);
		}
		if (lease instanceof DefaultLease.ReentrantLease reentrant) {
			return reentrant.closeAsync();
		}
		lease.close();
		return CompletableFuture.completedFuture(null);
	}

	/**
	 * Return a stage that completes when the lease is lost, never if it is released
	 * first. Callbacks run on the thread that detected the loss and must not block.
	 * @param lease a lease of this template
	 * @return the stage
	 */
	public CompletionStage<Void> whenLost(Lease lease) {
		DefaultLease outer = HeldLeases.outermost(lease);
		CompletableFuture<Void> lost = new CompletableFuture<>();
		if (outer != null) {
			outer.onLoss(() -> lost.complete(null));
		}
		return lost;
	}

	/**
	 * Return whether a lease was acquired from this template and is still valid.
	 * @param lease a lease
	 * @return whether this template holds it
	 */
	public boolean holds(Lease lease) {
		DefaultLease outer = HeldLeases.outermost(lease);
		return outer != null && outer.keeper() == this.keeper && lease.isValid();
	}

	// Shared steps

	private @Nullable Outcome reenter(LockKey key) {
		DefaultLease outer = this.held.heldInContext(key);
		if (outer == null) {
			return null;
		}
		if (!this.settings.isReentrant()) {
			logger.debug("Refusing reentry into lock '" + key + "': distributed-lock.reentrant=false");
			return new Outcome(null, Duration.ZERO, "Lock '" + key
					+ "' is already held by this invocation, and distributed-lock.reentrant=false refuses reentry");
		}
		return new Outcome(outer.reenter(), Duration.ZERO, null);
	}

	private Started start(LockKey key, LockOptions options, boolean callerBlocks) {
		if (this.held.isClosing()) {
			return new Started(null, null, new Outcome(null, Duration.ZERO, shuttingDown(key)));
		}
		LockSettings.Resolved resolved = this.settings.resolve(key.namespace(), options);
		LockAttempt attempt = new LockAttempt(key, this.store.storeName(), resolved, callerBlocks);
		this.listener.onAcquiring(attempt);
		if (!resolved.waitTime().isZero() && logger.isDebugEnabled()) {
			logger.debug("Acquiring lock '" + key + "', waiting up to " + resolved.waitTime().toMillis()
					+ " ms if it is held");
		}
		Acquisition acquisition = new Acquisition(this.keeper, key, this.held.newOwner(), resolved.leaseTime(),
				resolved.waitTime(), resolved.fair(), resolved.autoRenew());
		acquisition.start(callerBlocks);
		return new Started(attempt, acquisition, null);
	}

	/*
	 * The outcome of an acquisition that ended while its caller stopped waiting for it.
	 */
	private Acquisition.@Nullable Grant endedMeanwhile(Started started) {
		try {
			return started.acquisition.result().join();
		}
		catch (CompletionException ex) {
			throw failed(started, ex.getCause());
		}
	}

	/*
	 * The acquisition outlived its wait, the last attempt's bound and a margin: its
	 * timers did not fire (the library's timer thread is stuck or dead). The caller gets
	 * an error instead of waiting for ever; the acquisition was cancelled, so that
	 * whatever it left in the store is abandoned.
	 */
	private RuntimeException stalled(Started started, String state, TimeoutException timeout) {
		LockKey key = started.attempt.key();
		Duration waited = started.attempt.elapsed();
		logger.error("The acquisition of lock '" + key + "' did not end within its wait time and the store time-out ("
				+ state + ", " + waited.toMillis() + " ms): the distributed-lock-timer thread does not run its "
				+ "tasks. Please report this with a thread dump.");
		return failed(started, new LockStoreException("Acquiring lock '" + key + "' did not end in " + waited.toMillis()
				+ " ms, longer than its wait time and the store time-out allow: the library's timer does not run",
				timeout));
	}

	private RuntimeException failed(Started started, Throwable failure) {
		LockStoreException error = StoreCalls.asStoreException(failure, "acquire", started.attempt.key());
		this.listener.onAcquireFailed(started.attempt, started.attempt.elapsed(), error);
		return error;
	}

	private Outcome granted(Started started, Acquisition.@Nullable Grant grant, String holder) {
		LockAttempt attempt = started.attempt;
		LockKey key = attempt.key();
		Duration waited = attempt.elapsed();
		if (grant == null) {
			boolean shutDown = started.acquisition.wasShutDown();
			if (logger.isDebugEnabled()) {
				logger.debug("Lock '" + key + "' not acquired: " + (shutDown ? "the application is shutting down"
						: "held by another owner (waited " + waited.toMillis() + " ms)"));
			}
			this.listener.onNotAcquired(attempt, waited);
			return new Outcome(null, waited, shutDown ? shuttingDown(key) : null);
		}
		LockSettings.Resolved resolved = attempt.settings();
		DefaultLease lease = new DefaultLease(this.keeper, attempt, started.acquisition.owner(), grant.fencingToken(),
				resolved.leaseTime(), resolved.autoRenew(), resolved.lockAtLeastFor(), grant.sentNanos(),
				grant.validForNanos(), grant.handOvers(), holder);
		this.held.add(lease);
		try {
			lease.start();
		}
		catch (RejectedExecutionException ex) {
			// The timer was closed at shutdown: give the lock back now rather than hold
			// it unwatched until its lease expires.
			this.held.remove(lease);
			this.keeper.releaseAbandoned(key, lease.owner(), resolved.leaseTime());
			LockStoreException failure = new LockStoreException(
					"Could not schedule renewal of lock '" + key + "'; the lock was released", ex);
			this.listener.onAcquireFailed(attempt, waited, failure);
			throw failure;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Acquired lock '" + key + "' with fencing token " + lease.fencingToken() + " after "
					+ waited.toMillis() + " ms (lease " + resolved.leaseTime().toMillis() + " ms)");
		}
		this.listener.onAcquired(attempt, lease, waited);
		return new Outcome(lease, waited, null);
	}

	private static String shuttingDown(LockKey key) {
		return "Lock '" + key + "' not acquired: the application is shutting down";
	}

	private boolean isLostAndThrowing(Lease lease) {
		DefaultLease outer = HeldLeases.outermost(lease);
		return this.settings.getLeaseLostPolicy() == LeaseLostPolicy.THROW && outer != null && outer.wasLost();
	}

	private static LockLostException lost(Lease lease) {
		return new LockLostException(lease.key(), lease.fencingToken());
	}

	// Operators

	/**
	 * Return the locks this instance holds now, oldest first.
	 * @return a snapshot of the held locks
	 */
	public List<HeldLock> heldLocks() {
		return this.held.snapshot();
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
		Boolean released = this.keeper.join(this.keeper.calls().forceRelease(key, true), "force-release", key);
		if (Boolean.TRUE.equals(released)) {
			this.held.releasedLocally(key);
		}
		return Boolean.TRUE.equals(released);
	}

	/**
	 * Return the lock store.
	 * @return the store
	 */
	public LockStore getStore() {
		return this.store;
	}

	/**
	 * Return the settings applied to every lock.
	 * @return the settings
	 */
	public LockSettings getSettings() {
		return this.settings;
	}

	/**
	 * Return the executor that asynchronous sections start on when the lock was not free
	 * at once.
	 * @return the executor
	 */
	public Executor getAsyncExecutor() {
		return this.asyncExecutor;
	}

	// Shutdown, driven by DistributedLockLifecycle

	HeldLeases held() {
		return this.held;
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

	/**
	 * Builder of {@link LockTemplate}.
	 */
	public static final class Builder {

		private final LockStore store;

		private LockSettings settings = LockSettings.defaults();

		private @Nullable LeaseRenewalScheduler scheduler;

		private LockListener listener = LockListener.NONE;

		private Executor asyncExecutor = ForkJoinPool.commonPool();

		private Duration storeTimeout = Duration.ofSeconds(5);

		private Builder(LockStore store) {
			this.store = Objects.requireNonNull(store, "store must not be null");
		}

		/**
		 * Set the defaults to apply.
		 * @param settings the settings
		 * @return this builder
		 */
		public Builder settings(LockSettings settings) {
			this.settings = Objects.requireNonNull(settings, "settings must not be null");
			return this;
		}

		/**
		 * Set the timer that renews leases and wakes waiters; required.
		 * @param scheduler the scheduler
		 * @return this builder
		 */
		public Builder scheduler(LeaseRenewalScheduler scheduler) {
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
			return this;
		}

		/**
		 * Set the listener to report to.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(LockListener listener) {
			this.listener = Objects.requireNonNull(listener, "listener must not be null");
			return this;
		}

		/**
		 * Set the executor that asynchronous sections start on when the lock was not free
		 * at once (default: the common fork-join pool).
		 * @param asyncExecutor the executor
		 * @return this builder
		 */
		public Builder asyncExecutor(Executor asyncExecutor) {
			this.asyncExecutor = Objects.requireNonNull(asyncExecutor, "asyncExecutor must not be null");
			return this;
		}

		/**
		 * Set the longest one store call may take before it fails with
		 * {@link LockStoreException} (default 5 seconds); an acquire attempt made while
		 * waiting also never takes longer than the remaining wait.
		 * @param storeTimeout the bound, positive
		 * @return this builder
		 */
		public Builder storeTimeout(Duration storeTimeout) {
			this.storeTimeout = Durations.requirePositive(storeTimeout, "storeTimeout");
			return this;
		}

		/**
		 * Build the template.
		 * @return the template
		 */
		public LockTemplate build() {
			return new LockTemplate(this);
		}

	}

	/**
	 * An acquisition that started, or the outcome it had before it needed the store.
	 */
	private record Started(@Nullable LockAttempt attempt, @Nullable Acquisition acquisition,
			@Nullable Outcome outcome) {

	}

	/**
	 * The end of an acquisition: a lease, or why there is none.
	 */
	private record Outcome(@Nullable Lease lease, Duration waited, @Nullable String reason) {

		LockNotAcquiredException notAcquired(LockKey key) {
			return (this.reason != null) ? new LockNotAcquiredException(key, this.waited, this.reason, null)
					: new LockNotAcquiredException(key, this.waited);
		}

	}

}
