package dev.distlock.memory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.distlock.core.AcquireResult;
import dev.distlock.core.HandOverResult;
import dev.distlock.core.LeaseRenewal;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockWaitListener;
import dev.distlock.core.LockWaiters;
import dev.distlock.core.WaitSubscription;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LockStore} in this JVM's memory, with the same semantics as the shared stores:
 * leases that expire, fencing tokens, waiting that wakes on release, renew and release by
 * the owner only. Locks are local to this JVM, so it suits tests and applications that
 * run a single instance. Every operation completes at once, on the calling thread.
 * <p>
 * Fencing tokens come from one counter for all keys that never hands out less than the
 * current time in microseconds, so they also keep increasing across restarts of the JVM
 * (assuming the system clock does not jump backwards).
 *
 * @author Distributed Lock team
 */
public class InMemoryLockStore implements LockStore {

	private final ConcurrentHashMap<LockKey, Entry> locks = new ConcurrentHashMap<>();

	private final LockWaiters waiters = new LockWaiters();

	private final AtomicLong lastToken = new AtomicLong();

	/**
	 * Create an empty store.
	 */
	public InMemoryLockStore() {
	}

	@Override
	public String storeName() {
		return "in-memory";
	}

	@Override
	public CompletionStage<AcquireResult> tryAcquire(LockRequest request) {
		AtomicReference<@Nullable Entry> acquired = new AtomicReference<>();
		AtomicLong holderRemaining = new AtomicLong(-1);
		this.locks.compute(request.key(), (k, current) -> {
			long now = System.nanoTime();
			if (current != null && !current.isExpired(now)) {
				holderRemaining.set(current.expiresNanos - now);
				return current;
			}
			Entry entry = new Entry(request.owner(), nextToken(), now + request.leaseTime().toNanos());
			acquired.set(entry);
			return entry;
		});
		Entry entry = acquired.get();
		AcquireResult result = (entry != null) ? AcquireResult.acquired(entry.token)
				: AcquireResult.held(Duration.ofNanos(holderRemaining.get()));
		return CompletableFuture.completedFuture(result);
	}

	private long nextToken() {
		long nowMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
		return this.lastToken.updateAndGet((previous) -> Math.max(previous + 1, nowMicros));
	}

	@Override
	public CompletionStage<List<Boolean>> renew(List<LeaseRenewal> renewals) {
		List<Boolean> results = new ArrayList<>(renewals.size());
		for (LeaseRenewal renewal : renewals) {
			AtomicBoolean renewed = new AtomicBoolean();
			this.locks.computeIfPresent(renewal.key(), (k, current) -> {
				long now = System.nanoTime();
				if (current.owner.equals(renewal.owner()) && !current.isExpired(now)) {
					renewed.set(true);
					return new Entry(current.owner, current.token, now + renewal.leaseTime().toNanos());
				}
				return current;
			});
			results.add(renewed.get());
		}
		return CompletableFuture.completedFuture(results);
	}

	@Override
	public CompletionStage<Boolean> release(LockKey key, String owner) {
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
			this.waiters.wakeOne(key);
		}
		return CompletableFuture.completedFuture(released.get());
	}

	@Override
	public CompletionStage<HandOverResult> handOver(LockKey key, String owner, LockRequest next,
			boolean yieldToOthers) {
		if (yieldToOthers && this.waiters.hasWaiters(key)) {
			// Let the longest waiter of the store have its turn; the next holder keeps
			// waiting and is woken in its own turn.
			return release(key, owner).thenApply((released) -> new HandOverResult(released, AcquireResult.held()));
		}
		AtomicReference<@Nullable Entry> handed = new AtomicReference<>();
		this.locks.computeIfPresent(key, (k, current) -> {
			long now = System.nanoTime();
			if (!current.owner.equals(owner) || current.isExpired(now)) {
				return current;
			}
			Entry entry = new Entry(next.owner(), nextToken(), now + next.leaseTime().toNanos());
			handed.set(entry);
			return entry;
		});
		Entry entry = handed.get();
		if (entry == null) {
			return LockStore.super.handOver(key, owner, next, yieldToOthers);
		}
		return CompletableFuture.completedFuture(new HandOverResult(true, AcquireResult.acquired(entry.token)));
	}

	@Override
	public CompletionStage<Boolean> forceRelease(LockKey key) {
		Entry removed = this.locks.remove(key);
		if (removed == null) {
			return CompletableFuture.completedFuture(false);
		}
		this.waiters.wakeOne(key);
		return CompletableFuture.completedFuture(!removed.isExpired(System.nanoTime()));
	}

	@Override
	public WaitSubscription subscribe(LockKey key, String owner, Runnable onRelease) {
		return this.waiters.register(key, owner, onRelease);
	}

	@Override
	public WaitSubscription subscribe(LockKey key, String owner, LockWaitListener listener) {
		return this.waiters.register(key, owner, listener);
	}

	@Override
	public Duration pollInterval() {
		// Every release here wakes a waiter: the poll only covers leases that expire,
		// for which the waiter already retries at the holder's lease end.
		return Duration.ofSeconds(30);
	}

	@Override
	public void checkAvailability() {
	}

	/**
	 * Return the number of keys held now, for tests.
	 * @return the number of held keys
	 */
	int heldCount() {
		long now = System.nanoTime();
		return (int) this.locks.values().stream().filter((entry) -> !entry.isExpired(now)).count();
	}

	private record Entry(String owner, long token, long expiresNanos) {

		boolean isExpired(long now) {
			return now - this.expiresNanos >= 0;
		}

	}

}
