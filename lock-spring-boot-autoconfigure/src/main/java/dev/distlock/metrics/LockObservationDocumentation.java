package dev.distlock.metrics;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of distributed locks.
 * <p>
 * Their names differ on purpose from the meters of {@link MicrometerLockListener}
 * ({@code distributed.lock.acquire}, {@code distributed.lock.held}): Spring Boot's
 * default meter observation handler turns every observation into a timer named after it,
 * tagged with the observation's key values and an {@code error} tag. Under the same name
 * as a listener meter with other tags, that timer would clash in registries that require
 * one tag set per name, such as Prometheus.
 *
 * @author Distributed Lock team
 */
public enum LockObservationDocumentation implements ObservationDocumentation {

	/**
	 * Acquiring a lock, waiting included. Opened in scope on the acquiring thread, so
	 * that the store's own instrumentation nests under it.
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
			return LockKeyNames.values();
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
		 * The outcome, set when the observation stops: {@code acquired},
		 * {@code not_acquired} or {@code error} for an acquisition; {@code released},
		 * {@code lost} or {@code release_failed} for a hold.
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
