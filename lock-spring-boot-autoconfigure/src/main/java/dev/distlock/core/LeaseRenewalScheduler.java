package dev.distlock.core;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one scheduler that renews every held lease, on a small pool of daemon threads named
 * {@code distributed-lock-renewal-N}: there is no thread or timer per lock.
 * <p>
 * Registering a lease only adds it to a set; a sweep that runs every tick (50 ms by
 * default) starts the renewals that are due, each on the pool, never two at once for the
 * same lease. So taking and releasing a lock costs a set insertion and removal, not a
 * scheduled task, and a lease is renewed within one tick after a third of its lease time,
 * leaving two more chances before it expires. Leases much shorter than ten ticks should
 * not rely on renewal.
 *
 * @author Distributed Lock team
 */
public class LeaseRenewalScheduler implements AutoCloseable {

	private static final Duration DEFAULT_TICK = Duration.ofMillis(50);

	private final ScheduledThreadPoolExecutor executor;

	private final Set<Renewal> renewals = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	/**
	 * Create a scheduler with two threads, enough for renewals to go on while one waits
	 * for a slow store, sweeping every 50 ms.
	 */
	public LeaseRenewalScheduler() {
		this(2, DEFAULT_TICK);
	}

	/**
	 * Create a scheduler.
	 * @param threads the number of renewal threads
	 * @param tick how often to look for renewals that are due
	 */
	public LeaseRenewalScheduler(int threads, Duration tick) {
		LockOptions.requirePositive(tick, "tick");
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threadFactory = (runnable) -> {
			Thread thread = new Thread(runnable, "distributed-lock-renewal-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		this.executor = new ScheduledThreadPoolExecutor(threads, threadFactory);
		this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		this.executor.scheduleWithFixedDelay(this::sweep, tick.toNanos(), tick.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Run a renewal task about every {@code period}, first one period from now, until it
	 * is cancelled.
	 * @param task the task
	 * @param period the time between two runs
	 * @return the handle that cancels it
	 * @throws RejectedExecutionException if the scheduler was closed
	 */
	public Renewal schedule(Runnable task, Duration period) {
		if (this.closed) {
			throw new RejectedExecutionException("The lease renewal scheduler is closed");
		}
		Renewal renewal = new Renewal(task, Math.max(period.toNanos(), TimeUnit.MILLISECONDS.toNanos(1)));
		this.renewals.add(renewal);
		return renewal;
	}

	/**
	 * Return the number of leases being renewed.
	 * @return the number of registered renewals
	 */
	public int scheduledCount() {
		return this.renewals.size();
	}

	private void sweep() {
		long now = System.nanoTime();
		for (Renewal renewal : this.renewals) {
			if (renewal.isDue(now) && renewal.running.compareAndSet(false, true)) {
				try {
					this.executor.execute(renewal);
				}
				catch (RejectedExecutionException ex) {
					return;
				}
			}
		}
	}

	/**
	 * Stop renewing. Leases still held then expire after their lease time.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.executor.shutdownNow();
		this.renewals.clear();
	}

	/**
	 * A registered renewal task.
	 */
	public final class Renewal implements Runnable {

		private final Runnable task;

		private final long periodNanos;

		private final AtomicBoolean running = new AtomicBoolean();

		private volatile long dueNanos;

		private Renewal(Runnable task, long periodNanos) {
			this.task = task;
			this.periodNanos = periodNanos;
			this.dueNanos = System.nanoTime() + periodNanos;
		}

		private boolean isDue(long now) {
			return now - this.dueNanos >= 0;
		}

		@Override
		public void run() {
			try {
				this.task.run();
			}
			finally {
				this.dueNanos = System.nanoTime() + this.periodNanos;
				this.running.set(false);
			}
		}

		/**
		 * Stop running the task. A run in progress finishes.
		 */
		public void cancel() {
			LeaseRenewalScheduler.this.renewals.remove(this);
		}

	}

}
