package dev.distlock.metrics;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of distributed locks. They are named after the timers that Spring
 * Boot's meter observation handler derives from them, {@code distributed.lock.acquire}
 * and {@code distributed.lock.held}, and their low-cardinality key values are exactly
 * those timers' tags, so that with observations on the timers come from the observations
 * alone: {@link MicrometerLockListener} then records only its counters.
 * <p>
 * The handler adds an {@code error} tag to each timer ({@code none}, or the simple class
 * name of the exception the observation recorded) and a long task timer named after the
 * observation with {@code .active} appended: {@code distributed.lock.acquire.active}
 * (acquisitions running now) and {@code distributed.lock.held.active} (locks held now).
 *
 * @author Distributed Lock team
 */
public enum LockObservationDocumentation implements ObservationDocumentation {

	/**
	 * Acquiring a lock, waiting included. For a caller that blocks until the outcome, it
	 * is opened in scope on that thread, so that the store client's own instrumentation
	 * nests under it; an asynchronous acquisition is not put in scope, as it may end on
	 * another thread.
	 */
	ACQUISITION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultLockAcquisitionObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LockKeyNames.values();
		}

	},

	/**
	 * Holding a lock, from its acquisition to its release. Its parent is the observation
	 * current when the lock was acquired. It is not opened in scope: a lease may be
	 * closed on another thread or out of order, and a scope closed there would corrupt
	 * the thread's tracing context.
	 */
	HOLD {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultLockHoldObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LockKeyNames.NAMESPACE, LockKeyNames.STORE };
		}

	};

	/**
	 * The low-cardinality key names of lock observations. There are no high-cardinality
	 * ones: lock keys may carry user identifiers.
	 */
	public enum LockKeyNames implements KeyName {

		/**
		 * The lock's namespace.
		 */
		NAMESPACE {

			@Override
			public String asString() {
				return "namespace";
			}

		},

		/**
		 * The store kind, such as {@code redis}.
		 */
		STORE {

			@Override
			public String asString() {
				return "store";
			}

		},

		/**
		 * How an acquisition ended, set when its observation stops: {@code acquired},
		 * {@code not_acquired} or {@code error}. Not a key value of holds.
		 */
		OUTCOME {

			@Override
			public String asString() {
				return "outcome";
			}

			@Override
			public boolean isRequired() {
				return false;
			}

		}

	}

}
