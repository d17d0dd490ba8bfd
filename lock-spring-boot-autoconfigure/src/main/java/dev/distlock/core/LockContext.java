package dev.distlock.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Access to the lease of the locked method (or {@link LockTemplate#execute} section) that
 * the current invocation is running, for example to pass its
 * {@linkplain Lease#fencingToken() fencing token} to a downstream store.
 * <p>
 * The context follows the invocation, not a thread id: blocking code sees it on the
 * thread that runs the locked section (also a virtual thread), the synchronous part of an
 * {@link LockTemplate#executeAsync asynchronous section} sees it while it runs, and
 * reactive code reads it from the Reactor context with
 * {@code ReactiveLockContext.currentLease()}. Inside a Kotlin {@code suspend} function
 * that is locked, {@code ReactiveLockContext.currentLease().awaitSingleOrNull()} finds
 * the lease; with Micrometer's context propagation on the class path (and
 * {@code PropagationContextElement} or Reactor's automatic context propagation), this
 * class finds it too. The same context decides reentrancy: a section that enters a lock
 * its context already holds proceeds without a store round trip.
 *
 * @author Distributed Lock team
 */
public final class LockContext {

	/**
	 * The key under which the leases of an invocation travel in a Reactor context and in
	 * Micrometer's context propagation: an immutable list, innermost first.
	 */
	public static final String CONTEXT_KEY = "dev.distlock.leases";

	private static final ThreadLocal<ArrayDeque<Lease>> leases = ThreadLocal.withInitial(ArrayDeque::new);

	/** Leases acquired on this thread with the blocking API and not yet closed. */
	private static final ThreadLocal<ArrayList<Lease>> acquired = ThreadLocal.withInitial(ArrayList::new);

	private LockContext() {
	}

	/**
	 * Return the innermost lease of the locked section running in this context.
	 * @return the lease, or empty outside a locked section
	 */
	public static Optional<Lease> currentLease() {
		return Optional.ofNullable(leases.get().peek());
	}

	/**
	 * Find the valid lease on a key in this context, innermost first.
	 * @param key the key
	 * @param ours whether a lease is of the template that asks
	 * @return the lease, or {@code null}
	 */
	static @Nullable Lease find(LockKey key, Predicate<Lease> ours) {
		ArrayDeque<Lease> stack = leases.get();
		if (stack.isEmpty()) {
			leases.remove();
		}
		else {
			for (Lease lease : stack) {
				if (lease.key().equals(key) && lease.isValid() && ours.test(lease)) {
					return lease;
				}
			}
		}
		ArrayList<Lease> held = acquired.get();
		if (held.isEmpty()) {
			acquired.remove();
			return null;
		}
		held.removeIf((lease) -> !lease.isValid());
		for (Lease lease : held) {
			if (lease.key().equals(key) && ours.test(lease)) {
				return lease;
			}
		}
		return null;
	}

	/**
	 * Remember a lease that this thread acquired with the blocking API, so that a locked
	 * section this thread enters on the same key reenters it.
	 * @param lease the lease
	 */
	static void acquiredByThisThread(Lease lease) {
		acquired.get().add(lease);
	}

	/**
	 * Forget a lease of this thread.
	 * @param lease the lease
	 */
	static void closedByThisThread(Lease lease) {
		ArrayList<Lease> held = acquired.get();
		held.remove(lease);
		if (held.isEmpty()) {
			acquired.remove();
		}
	}

	/**
	 * Make a lease current for a section, until {@link #pop()}. Used by the template, the
	 * advice and context propagation.
	 * @param lease the lease
	 */
	static void push(Lease lease) {
		leases.get().push(lease);
	}

	static void pop() {
		ArrayDeque<Lease> stack = leases.get();
		stack.pop();
		if (stack.isEmpty()) {
			leases.remove();
		}
	}

	/**
	 * Return the leases of this thread, innermost first, for context propagation.
	 * @return the leases, or {@code null} if there are none
	 */
	static @Nullable List<Lease> snapshot() {
		ArrayDeque<Lease> stack = leases.get();
		if (stack.isEmpty()) {
			leases.remove();
			return null;
		}
		return List.copyOf(stack);
	}

	/**
	 * Make the given leases this thread's, innermost first, for context propagation.
	 * @param restored the leases, or {@code null} for none
	 */
	static void restore(@Nullable List<Lease> restored) {
		if (restored == null || restored.isEmpty()) {
			leases.remove();
			return;
		}
		ArrayDeque<Lease> stack = new ArrayDeque<>(restored.size());
		for (Lease lease : restored) {
			stack.addLast(lease);
		}
		leases.set(stack);
	}

}
