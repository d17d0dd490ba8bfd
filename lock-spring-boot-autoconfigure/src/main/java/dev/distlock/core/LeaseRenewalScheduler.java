package dev.distlock.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one timer of the library: a single daemon thread named
 * {@code distributed-lock-timer} that renews every held lease, notices every lease
 * deadline, and wakes waiters whose retry is due. There is no thread or timer task per
 * lock.
 * <p>
 * <strong>Renewal in batches.</strong> Each lease is kept in a due-time queue of buckets
 * (a sorted map from a time slot to the leases due then), so taking a lock costs one
 * insertion into a bucket and the timer only ever looks at buckets that are due: never at
 * every held lease. A lease's renewal falls due at about a third of its lease time and is
 * rounded up to a coarse slot (up to a twentieth of the lease), so that leases taken
 * around the same time share a slot. Everything due in one slot is handed to the store
 * together, one {@link LockStore#renew} call per store and lease time: 10,000 leases
 * taken within a second cost a few round trips per renewal period, not 10,000.
 * <p>
 * <strong>Deadlines.</strong> The timer also checks every lease at its deadline, so a
 * lease whose renewals failed (a partition, a store that does not answer) is reported
 * lost within one tick ({@value #TICK_MILLIS} ms) of it; {@link Lease#isValid()} itself
 * compares with the clock and is exact.
 *
 * @author Distributed Lock team
 */
public class LeaseRenewalScheduler implements AutoCloseable {

	static final long TICK_MILLIS = 10;

	private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);

	private static final Log logger = LogFactory.getLog(LeaseRenewalScheduler.class);

	private final ScheduledThreadPoolExecutor executor;

	private final ConcurrentSkipListMap<Long, Bucket> buckets = new ConcurrentSkipListMap<>();

	private final AtomicLong armedSlot = new AtomicLong(Long.MAX_VALUE);

	private final long origin = System.nanoTime();

	private volatile boolean closed;

	/**
	 * Create a scheduler with its timer thread.
	 */
	public LeaseRenewalScheduler() {
		this.executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "distributed-lock-timer");
			thread.setDaemon(true);
			return thread;
		});
		this.executor.setRemoveOnCancelPolicy(true);
		this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	/**
	 * Run a short, non-blocking task on the timer thread after a delay.
	 * @param task the task; it must not block
	 * @param delayNanos the delay
	 * @return the handle that cancels it
	 * @throws RejectedExecutionException if the scheduler was closed
	 */
	ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
		if (this.closed) {
			throw new RejectedExecutionException("The distributed lock timer is closed");
		}
		return this.executor.schedule(() -> runSafely(task), Math.max(delayNanos, 0), TimeUnit.NANOSECONDS);
	}

	/**
	 * Fail a pending store call with a {@link TimeoutException} if it has not completed
	 * within the bound (give or take one tick). Cheaper under contention than
	 * {@link CompletableFuture#orTimeout}, whose JDK-wide timer every call would queue
	 * on.
	 * @param call the call
	 * @param timeoutNanos the bound
	 */
	void expire(CompletableFuture<?> call, long timeoutNanos) {
		if (this.closed) {
			// No ticks any more: the JDK's delayer still bounds the call.
			call.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
			return;
		}
		long slot = slot(System.nanoTime() + timeoutNanos, 0);
		Bucket bucket;
		while (true) {
			bucket = this.buckets.computeIfAbsent(slot, (key) -> new Bucket());
			bucket.calls.add(call);
			if (!bucket.drained) {
				break;
			}
			slot = Math.max(slot, currentSlot()) + 1;
		}
		arm(slot);
		// An answered call leaves the queue at once rather than at its bound.
		Bucket queued = bucket;
		call.whenComplete((value, failure) -> queued.calls.remove(call));
	}

	/*
	 * Check a lease again at the given time: renew it, or report it lost if its deadline
	 * passed.
	 *
	 * @param lease the lease
	 *
	 * @param dueNanos when, in {@link System#nanoTime()} terms
	 *
	 * @param slackNanos how much later than {@code dueNanos} the check may come, to share
	 * a slot with other leases
	 *
	 * @throws RejectedExecutionException if the scheduler was closed
	 */
	Object track(DefaultLease lease, long dueNanos, long slackNanos) {
		if (this.closed) {
			throw new RejectedExecutionException("The distributed lock timer is closed");
		}
		long slot = slot(dueNanos, slackNanos);
		Entry entry = new Entry(lease, dueNanos);
		while (true) {
			Bucket bucket = this.buckets.computeIfAbsent(slot, (key) -> new Bucket());
			entry.bucket = bucket;
			bucket.entries.add(entry);
			if (!bucket.drained) {
				break;
			}
			// The timer took this bucket while the entry went in: it may not have seen
			// it. Checking a lease twice is harmless (the lease decides once per due
			// time), missing it is not.
			slot = Math.max(slot, currentSlot()) + 1;
		}
		arm(slot);
		return entry;
	}

	/**
	 * Forget a lease's pending check: the lease was released or lost, and must not stay
	 * reachable from the queue until its due time.
	 * @param handle what {@link #track} returned, or {@code null}
	 */
	void untrack(@Nullable Object handle) {
		if (handle instanceof Entry entry) {
			Bucket bucket = entry.bucket;
			if (bucket != null) {
				bucket.entries.remove(entry);
			}
		}
	}

	private long slot(long dueNanos, long slackNanos) {
		long due = Math.max(dueNanos - this.origin, 0);
		long slotTicks = 1;
		long slackTicks = slackNanos / TICK_NANOS;
		while (slotTicks * 2 <= slackTicks) {
			slotTicks *= 2;
		}
		long ticks = (due + TICK_NANOS - 1) / TICK_NANOS;
		return (ticks + slotTicks - 1) / slotTicks * slotTicks;
	}

	private long currentSlot() {
		return (System.nanoTime() - this.origin) / TICK_NANOS;
	}

	private void arm(long slot) {
		long armed;
		while (slot < (armed = this.armedSlot.get())) {
			if (this.armedSlot.compareAndSet(armed, slot)) {
				long delay = this.origin + slot * TICK_NANOS - System.nanoTime();
				try {
					this.executor.schedule(this::tick, Math.max(delay, 0), TimeUnit.NANOSECONDS);
				}
				catch (RejectedExecutionException ex) {
					// Closed meanwhile: nothing is renewed any more.
				}
				return;
			}
		}
	}

	private void tick() {
		this.armedSlot.set(Long.MAX_VALUE);
		long now = System.nanoTime();
		long current = (now - this.origin) / TICK_NANOS;
		List<DefaultLease> due = new ArrayList<>();
		Map.Entry<Long, Bucket> first;
		while ((first = this.buckets.firstEntry()) != null && first.getKey() <= current) {
			Bucket bucket = first.getValue();
			bucket.drained = true;
			this.buckets.remove(first.getKey(), bucket);
			for (Iterator<Entry> entries = bucket.entries.iterator(); entries.hasNext();) {
				Entry entry = entries.next();
				entries.remove();
				if (entry.lease.takeCheck(entry.dueNanos)) {
					due.add(entry.lease);
				}
			}
			for (Iterator<CompletableFuture<?>> calls = bucket.calls.iterator(); calls.hasNext();) {
				CompletableFuture<?> call = calls.next();
				calls.remove();
				call.completeExceptionally(new TimeoutException("No answer within the store call's time bound"));
			}
		}
		if (!due.isEmpty()) {
			Map<RenewalGroup, List<DefaultLease>> renewals = new HashMap<>();
			for (DefaultLease lease : due) {
				runSafely(() -> {
					if (lease.checkDue(now)) {
						renewals
							.computeIfAbsent(new RenewalGroup(lease.keeper(), lease.leaseTime()),
									(group) -> new ArrayList<>())
							.add(lease);
					}
				});
			}
			renewals.forEach((group, leases) -> runSafely(() -> group.keeper().renew(group.leaseTime(), leases)));
		}
		Long next = this.buckets.isEmpty() ? null : this.buckets.firstKey();
		if (next != null) {
			arm(next);
		}
	}

	private static void runSafely(Runnable task) {
		try {
			task.run();
		}
		catch (RuntimeException | Error ex) {
			logger.error("Distributed lock timer task failed", ex);
		}
	}

	/**
	 * Return the number of leases and timers waiting in the queue, for tests.
	 * @return the number of queued entries
	 */
	int queuedEntries() {
		return this.buckets.values().stream().mapToInt((bucket) -> bucket.entries.size() + bucket.calls.size()).sum();
	}

	/**
	 * Return whether {@link #close()} was called.
	 * @return whether the scheduler is closed
	 */
	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Stop the timer thread. Leases still held then are no longer renewed and expire
	 * after their lease time; waiters still waiting no longer retry.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.executor.shutdownNow();
		this.buckets.clear();
	}

	/**
	 * Describe the leases renewed together: those of one template, with one lease time.
	 */
	private record RenewalGroup(LeaseKeeper keeper, Duration leaseTime) {

	}

	/**
	 * A lease's pending check; equal only to itself, so that it can leave its bucket.
	 */
	private static final class Entry {

		final DefaultLease lease;

		final long dueNanos;

		volatile @Nullable Bucket bucket;

		Entry(DefaultLease lease, long dueNanos) {
			this.lease = lease;
			this.dueNanos = dueNanos;
		}

	}

	private static final class Bucket {

		final Set<Entry> entries = ConcurrentHashMap.newKeySet();

		final Set<CompletableFuture<?>> calls = ConcurrentHashMap.newKeySet();

		volatile boolean drained;

	}

}
