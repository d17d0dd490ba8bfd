package dev.distlock.core;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one scheduler that renews every held lease, on a small pool of daemon threads named
 * {@code distributed-lock-renewal-N}: there is no thread or timer per lock. Each lease is
 * renewed at a third of its lease time, so two renewals can fail before it expires.
 *
 * @author Distributed Lock team
 */
public class LeaseRenewalScheduler implements AutoCloseable {

	private final ScheduledThreadPoolExecutor executor;

	/**
	 * Create a scheduler with two threads, enough for renewals to go on while one waits
	 * for a slow store.
	 */
	public LeaseRenewalScheduler() {
		this(2);
	}

	/**
	 * Create a scheduler.
	 * @param threads the number of renewal threads
	 */
	public LeaseRenewalScheduler(int threads) {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threadFactory = (runnable) -> {
			Thread thread = new Thread(runnable, "distributed-lock-renewal-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		this.executor = new ScheduledThreadPoolExecutor(threads, threadFactory);
		this.executor.setRemoveOnCancelPolicy(true);
		this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	/**
	 * Run a renewal task repeatedly with the given period.
	 * @param task the task
	 * @param period the time between two runs
	 * @return the handle that cancels it
	 */
	public ScheduledFuture<?> schedule(Runnable task, Duration period) {
		long nanos = Math.max(period.toNanos(), TimeUnit.MILLISECONDS.toNanos(1));
		return this.executor.scheduleWithFixedDelay(task, nanos, nanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Return the number of leases waiting for their next renewal.
	 * @return the number of scheduled renewals
	 */
	public int scheduledCount() {
		return this.executor.getQueue().size();
	}

	/**
	 * Stop renewing. Leases still held then expire after their lease time.
	 */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
