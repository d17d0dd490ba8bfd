package dev.distlock.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * A convention of {@link LockObservationDocumentation#ACQUISITION lock acquisition}
 * observations. Define a bean of this type to replace
 * {@link DefaultLockAcquisitionObservationConvention} for the locks of the application;
 * extend the default to keep its name and key values and add your own.
 *
 * @author Distributed Lock team
 * @see LockHoldObservationConvention
 */
public interface LockAcquisitionObservationConvention extends ObservationConvention<LockAcquisitionContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof LockAcquisitionContext;
	}

}
