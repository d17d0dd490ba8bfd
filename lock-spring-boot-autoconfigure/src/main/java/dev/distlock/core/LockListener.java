package dev.distlock.core;

import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Callbacks around every lock taken through {@link LockTemplate}, for metrics, tracing
 * and events. Every method has an empty default, so an implementation overrides only what
 * it needs. Callbacks run on the locking thread (renewal and loss on the renewal
 * scheduler's thread) and must be quick; an exception thrown by a listener is logged and
 * never changes the lock's outcome. Reentrant acquisitions, which make no store call, are
 * not reported.
 *
 * @author Distributed Lock team
 */
public interface LockListener {

	/**
	 * A listener that does nothing.
	 */
	LockListener NONE = new LockListener() {
	};

	/**
	 * An attempt to acquire a lock is starting.
	 * @param attempt the attempt
	 */
	default void onAcquiring(LockAttempt attempt) {
	}

	/**
	 * The lock was acquired.
	 * @param attempt the attempt
	 * @param lease the new lease
	 * @param waited the time spent acquiring
	 */
	default void onAcquired(LockAttempt attempt, Lease lease, Duration waited) {
	}

	/**
	 * The lock stayed held by another owner for the whole wait time.
	 * @param attempt the attempt
	 * @param waited the time spent acquiring
	 */
	default void onNotAcquired(LockAttempt attempt, Duration waited) {
	}

	/**
	 * The store failed while acquiring.
	 * @param attempt the attempt
	 * @param waited the time spent acquiring
	 * @param error the failure
	 */
	default void onAcquireFailed(LockAttempt attempt, Duration waited, RuntimeException error) {
	}

	/**
	 * A scheduled renewal ended.
	 * @param attempt the attempt
	 * @param lease the lease
	 * @param success whether the lease was extended
	 */
	default void onRenewed(LockAttempt attempt, Lease lease, boolean success) {
	}

	/**
	 * The lease was lost while held: the lock expired or was taken by another owner.
	 * @param attempt the attempt
	 * @param lease the lost lease
	 */
	default void onLost(LockAttempt attempt, Lease lease) {
	}

	/**
	 * The lease ended: the lock was released (or, with a minimum hold time, left to
	 * expire).
	 * @param attempt the attempt
	 * @param lease the lease
	 * @param held how long it was held
	 */
	default void onReleased(LockAttempt attempt, Lease lease, Duration held) {
	}

	/**
	 * The store failed while releasing; the lock is freed when its lease expires.
	 * @param attempt the attempt
	 * @param lease the lease
	 * @param error the failure
	 */
	default void onReleaseFailed(LockAttempt attempt, Lease lease, RuntimeException error) {
	}

	/**
	 * Return a listener that calls each of the given ones in order and logs, rather than
	 * propagates, their exceptions.
	 * @param listeners the listeners
	 * @return the composite listener
	 */
	static LockListener composite(List<? extends LockListener> listeners) {
		return new CompositeLockListener(listeners);
	}

	/**
	 * Calls several listeners, isolating the lock from their failures.
	 */
	final class CompositeLockListener implements LockListener {

		private static final Log logger = LogFactory.getLog(LockListener.class);

		private final LockListener[] listeners;

		CompositeLockListener(List<? extends LockListener> listeners) {
			this.listeners = listeners.toArray(LockListener[]::new);
		}

		private void each(java.util.function.Consumer<LockListener> callback) {
			for (LockListener listener : this.listeners) {
				try {
					callback.accept(listener);
				}
				catch (RuntimeException ex) {
					logger.warn("Lock listener " + listener + " failed; the lock is not affected", ex);
				}
			}
		}

		@Override
		public void onAcquiring(LockAttempt attempt) {
			each((listener) -> listener.onAcquiring(attempt));
		}

		@Override
		public void onAcquired(LockAttempt attempt, Lease lease, Duration waited) {
			each((listener) -> listener.onAcquired(attempt, lease, waited));
		}

		@Override
		public void onNotAcquired(LockAttempt attempt, Duration waited) {
			each((listener) -> listener.onNotAcquired(attempt, waited));
		}

		@Override
		public void onAcquireFailed(LockAttempt attempt, Duration waited, RuntimeException error) {
			each((listener) -> listener.onAcquireFailed(attempt, waited, error));
		}

		@Override
		public void onRenewed(LockAttempt attempt, Lease lease, boolean success) {
			each((listener) -> listener.onRenewed(attempt, lease, success));
		}

		@Override
		public void onLost(LockAttempt attempt, Lease lease) {
			each((listener) -> listener.onLost(attempt, lease));
		}

		@Override
		public void onReleased(LockAttempt attempt, Lease lease, Duration held) {
			each((listener) -> listener.onReleased(attempt, lease, held));
		}

		@Override
		public void onReleaseFailed(LockAttempt attempt, Lease lease, RuntimeException error) {
			each((listener) -> listener.onReleaseFailed(attempt, lease, error));
		}

	}

}
