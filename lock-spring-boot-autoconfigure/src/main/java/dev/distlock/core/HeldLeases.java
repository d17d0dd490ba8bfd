package dev.distlock.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The bookkeeping of one template's locks: the leases held now (for the endpoint, the
 * meters and shutdown), the acquisitions under way, the waiters of each key in this JVM
 * (so that a release here hands the lock to the longest waiter here, rather than to
 * whoever asks next), owner tokens, and whether the application is shutting down.
 *
 * @author Distributed Lock team
 */
final class HeldLeases {

	/**
	 * Identifies this JVM in owner tokens. Owner tokens must be unique, not secret: a
	 * random instance id plus a counter avoids {@code SecureRandom} on every acquire and
	 * tells an operator which instance holds a lock.
	 */
	private static final String INSTANCE_ID = UUID.randomUUID().toString();

	private static final AtomicLong ownerSequence = new AtomicLong();

	private final Set<DefaultLease> active = ConcurrentHashMap.newKeySet();

	private final Set<Acquisition> pending = ConcurrentHashMap.newKeySet();

	private final ConcurrentHashMap<LockKey, ConcurrentLinkedDeque<Acquisition>> waiters = new ConcurrentHashMap<>();

	private volatile boolean closing;

	private volatile boolean terminated;

	String newOwner() {
		return INSTANCE_ID + ":" + ownerSequence.incrementAndGet();
	}

	// Held leases

	void add(DefaultLease lease) {
		this.active.add(lease);
	}

	void remove(DefaultLease lease) {
		this.active.remove(lease);
	}

	int activeCount() {
		return this.active.size();
	}

	List<DefaultLease> active() {
		return new ArrayList<>(this.active);
	}

	List<HeldLock> snapshot() {
		List<HeldLock> locks = new ArrayList<>(this.active.size());
		for (DefaultLease lease : this.active) {
			if (lease.isValid()) {
				locks.add(lease.snapshot());
			}
		}
		locks.sort(Comparator.comparing(HeldLock::acquiredAt));
		return locks;
	}

	// Acquisitions under way and local waiters

	void started(Acquisition acquisition) {
		this.pending.add(acquisition);
		if (this.closing) {
			// Shutdown began while this one started: it must not wait for a lock.
			acquisition.shutDown();
		}
	}

	void finished(Acquisition acquisition) {
		this.pending.remove(acquisition);
		stopWaiting(acquisition);
	}

	/**
	 * Return whether acquisitions of this key are already waiting in this JVM, in which
	 * case a newcomer queues behind them instead of overtaking them.
	 * @param key the key
	 * @return whether the key has local waiters
	 */
	boolean hasWaiters(LockKey key) {
		ConcurrentLinkedDeque<Acquisition> queue = this.waiters.get(key);
		return queue != null && !queue.isEmpty();
	}

	void startWaiting(Acquisition acquisition) {
		this.waiters.computeIfAbsent(acquisition.key(), (key) -> new ConcurrentLinkedDeque<>()).add(acquisition);
	}

	/**
	 * Return whether the acquisition is the longest waiter of this JVM for its key, the
	 * one that polls the store for it.
	 * @param acquisition a waiting acquisition
	 * @return whether no waiter of this JVM came before it
	 */
	boolean isFirstWaiter(Acquisition acquisition) {
		ConcurrentLinkedDeque<Acquisition> queue = this.waiters.get(acquisition.key());
		return queue == null || queue.peekFirst() == acquisition;
	}

	private void stopWaiting(Acquisition acquisition) {
		ConcurrentLinkedDeque<Acquisition> queue = this.waiters.get(acquisition.key());
		if (queue == null) {
			return;
		}
		boolean wasFirst = queue.peekFirst() == acquisition;
		this.waiters.computeIfPresent(acquisition.key(), (key, current) -> {
			current.remove(acquisition);
			return current.isEmpty() ? null : current;
		});
		if (wasFirst) {
			// The next waiter leads now: it takes over polling the store.
			Acquisition next = queue.peekFirst();
			if (next != null) {
				next.promoted();
			}
		}
	}

	/**
	 * A lease of this key was released by this JVM: wake the longest local waiter, so the
	 * lock changes hands here without waiting for the store to announce it.
	 * @param key the key
	 */
	void releasedLocally(LockKey key) {
		ConcurrentLinkedDeque<Acquisition> queue = this.waiters.get(key);
		if (queue != null) {
			for (Acquisition waiter : queue) {
				if (waiter.wakeLocally()) {
					return;
				}
			}
		}
	}

	/**
	 * A lease of this key is being released: find the longest local waiter that can take
	 * the lock over at once.
	 * @param key the key
	 * @param streak how many hand-overs in this JVM led to the releasing lease
	 * @return the waiter and its request, or {@code null} if none is ready
	 */
	@Nullable Successor takeSuccessor(LockKey key, int streak) {
		ConcurrentLinkedDeque<Acquisition> queue = this.waiters.get(key);
		if (queue != null && !this.closing) {
			for (Acquisition waiter : queue) {
				LockRequest request = waiter.takeForHandOver(streak);
				if (request != null) {
					return new Successor(waiter, request);
				}
			}
		}
		return null;
	}

	// Reentrancy

	/**
	 * Find the lease on a key that the current invocation context already holds.
	 * @param key the key
	 * @return the lease, or {@code null}
	 */
	@Nullable DefaultLease heldInContext(LockKey key) {
		return outermost(LockContext.find(key, (lease) -> {
			DefaultLease outer = outermost(lease);
			return outer != null && outer.keeper().held() == this;
		}));
	}

	static @Nullable DefaultLease outermost(@Nullable Lease lease) {
		if (lease instanceof DefaultLease held) {
			return held;
		}
		if (lease instanceof DefaultLease.ReentrantLease reentrant) {
			return reentrant.outer();
		}
		return null;
	}

	// Shutdown

	boolean isClosing() {
		return this.closing;
	}

	boolean isTerminated() {
		return this.terminated;
	}

	/**
	 * Refuse new acquisitions from now on and end those that wait.
	 */
	void beginShutdown() {
		this.closing = true;
		for (Acquisition acquisition : List.copyOf(this.pending)) {
			acquisition.shutDown();
		}
	}

	/**
	 * Mark the end of shutdown: the store may be closed, nothing more is sent to it.
	 */
	void terminate() {
		this.closing = true;
		this.terminated = true;
	}

	/**
	 * A local waiter that takes a lock over from its releasing holder.
	 *
	 * @param acquisition the waiter
	 * @param request its attempt
	 */
	record Successor(Acquisition acquisition, LockRequest request) {

	}

}
