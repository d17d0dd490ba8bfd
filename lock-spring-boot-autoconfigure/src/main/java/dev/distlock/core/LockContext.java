package dev.distlock.core;

import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Access to the lease of the locked method (or {@link LockTemplate#execute} section) that
 * the current thread is running, for example to pass its {@linkplain Lease#fencingToken()
 * fencing token} to a downstream store.
 *
 * @author Distributed Lock team
 */
public final class LockContext {

	private static final ThreadLocal<ArrayDeque<Lease>> leases = ThreadLocal.withInitial(ArrayDeque::new);

	private LockContext() {
	}

	/**
	 * Return the innermost lease of the locked section running on this thread.
	 * @return the lease, or empty outside a locked section
	 */
	public static Optional<Lease> currentLease() {
		return Optional.ofNullable(leases.get().peek());
	}

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

}
