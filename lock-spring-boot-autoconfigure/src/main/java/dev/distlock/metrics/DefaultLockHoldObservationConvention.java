package dev.distlock.metrics;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The default convention of {@link LockObservationDocumentation#HOLD lock hold}
 * observations: named {@code distributed.lock.hold}, with the namespace, the store and
 * the outcome as low-cardinality key values.
 *
 * @author Distributed Lock team
 */
public class DefaultLockHoldObservationConvention implements ObservationConvention<LockHoldContext> {

	/**
	 * Create the default convention.
	 */
	public DefaultLockHoldObservationConvention() {
	}

	/**
	 * The shared instance.
	 */
	public static final DefaultLockHoldObservationConvention INSTANCE = new DefaultLockHoldObservationConvention();

	@Override
	public String getName() {
		return "distributed.lock.hold";
	}

	@Override
	public String getContextualName(LockHoldContext context) {
		return "hold lock " + context.getNamespace();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(LockHoldContext context) {
		return DefaultLockAcquisitionObservationConvention.keyValues(context);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof LockHoldContext;
	}

}
