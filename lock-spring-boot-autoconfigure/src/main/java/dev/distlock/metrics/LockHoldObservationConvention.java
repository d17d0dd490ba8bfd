package dev.distlock.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * A convention of {@link LockObservationDocumentation#HOLD lock hold} observations.
 * Define a bean of this type to replace {@link DefaultLockHoldObservationConvention} for
 * the locks of the application; extend the default to keep its name and key values and
 * add your own.
 *
 * @author Distributed Lock team
 * @see LockAcquisitionObservationConvention
 */
public interface LockHoldObservationConvention extends ObservationConvention<LockHoldContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof LockHoldContext;
	}

}
