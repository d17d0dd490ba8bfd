package dev.distlock.memory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import dev.distlock.core.LockGrant;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockRegistry;

/**
 * A {@link LockRegistry} in this JVM's memory, with the same semantics as the shared
 * stores: leases that expire, fencing tokens, waiting that wakes on release, renew and
 * release by the owner only. Locks are local to this JVM, so it suits tests and
 * applications that run a single instance.
 * <p>
 * Fencing tokens come from one counter for all keys that never hands out less than the
 * current time in microseconds, so they also keep increasing across restarts of the JVM
 * (assuming the system clock does not jump backwards).
 *
 * @author Distributed Lock team
 */
public class InMemoryLockRegistry implements LockRegistry {

	private final ConcurrentHashMap<LockKey, Entry> locks = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<LockKey, Waiters> waiters = new ConcurrentHashMap<>();

	private final AtomicLong lastToken = new AtomicLong();

	/**
	 * Create an empty registry.
	 */
	public InMemoryLockRegistry() {
	}

	@Override
	public String storeName() {
		return "in-memory";
	}

	@Override
	public Optional<LockGrant> tryAcquire(LockKey key, String owner, Duration leaseTime, Duration waitTime)
			throws InterruptedException {
		long deadline = System.nanoTime() + waitTime.toNanos();
		if (waitTime.isZero()) {
			return attempt(key, owner, leaseTime);
		}
		Waiters waiting = this.waiters.compute(key, (k, w) -> ((w != null) ? w : new Waiters()).join());
		try {
			while (true) {
				long generation = waiting.generation;
				Optional<LockGrant> grant = attempt(key, owner, leaseTime);
				long now = System.nanoTime();
				if (grant.isPresent() || now - deadline >= 0) {
					return grant;
				}
				Entry holder = this.locks.get(key);
				long untilFree = (holder != null) ? Math.max(holder.expiresNanos - now, 1) : 1;
				synchronized (waiting) {
					if (waiting.generation == generation) {
						TimeUnit.NANOSECONDS.timedWait(waiting, Math.min(deadline - now, untilFree));
					}
				}
			}
		}
		finally {
			this.waiters.computeIfPresent(key, (k, w) -> w.leave());
		}
	}

	private Optional<LockGrant> attempt(LockKey key, String owner, Duration leaseTime) {
		AtomicReference<@Nullable Entry> acquired = new AtomicReference<>();
		this.locks.compute(key, (k, current) -> {
			long now = System.nanoTime();
			if (current != null && !current.isExpired(now)) {
				return current;
			}
			Entry entry = new Entry(owner, nextToken(), now + leaseTime.toNanos());
			acquired.set(entry);
			return entry;
		});
		Entry entry = acquired.get();
		return (entry != null) ? Optional.of(new LockGrant(entry.token, Instant.now().plus(leaseTime)))
				: Optional.empty();
	}

	private long nextToken() {
		long nowMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
		return this.lastToken.updateAndGet((previous) -> Math.max(previous + 1, nowMicros));
	}

	@Override
	public boolean renew(LockKey key, String owner, Duration leaseTime) {
		AtomicBoolean renewed = new AtomicBoolean();
		this.locks.computeIfPresent(key, (k, current) -> {
			long now = System.nanoTime();
			if (current.owner.equals(owner) && !current.isExpired(now)) {
				renewed.set(true);
				return new Entry(owner, current.token, now + leaseTime.toNanos());
			}
			return current;
		});
		return renewed.get();
	}

	@Override
	public boolean release(LockKey key, String owner) {
		AtomicBoolean released = new AtomicBoolean();
		AtomicBoolean freed = new AtomicBoolean();
		this.locks.computeIfPresent(key, (k, current) -> {
			if (!current.owner.equals(owner)) {
				return current;
			}
			// An expired lease is no longer the owner's to release, but its entry can go.
			released.set(!current.isExpired(System.nanoTime()));
			freed.set(true);
			return null;
		});
		if (freed.get()) {
			wakeWaiters(key);
		}
		return released.get();
	}

	@Override
	public boolean forceRelease(LockKey key) {
		Entry removed = this.locks.remove(key);
		if (removed == null) {
			return false;
		}
		wakeWaiters(key);
		return !removed.isExpired(System.nanoTime());
	}

	@Override
	public void checkAvailability() {
	}

	private void wakeWaiters(LockKey key) {
		Waiters waiting = this.waiters.get(key);
		if (waiting != null) {
			synchronized (waiting) {
				waiting.generation++;
				waiting.notifyAll();
			}
		}
	}

	private record Entry(String owner, long token, long expiresNanos) {

		boolean isExpired(long now) {
			return now - this.expiresNanos >= 0;
		}

	}

	/**
	 * Threads waiting for one key, and a generation that every release advances so that a
	 * release between a failed attempt and the wait is never missed.
	 */
	private static final class Waiters {

		private int count;

		private volatile long generation;

		Waiters join() {
			this.count++;
			return this;
		}

		@Nullable Waiters leave() {
			return (--this.count == 0) ? null : this;
		}

	}

}
