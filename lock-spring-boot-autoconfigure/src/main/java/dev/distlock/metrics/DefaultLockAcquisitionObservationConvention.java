package dev.distlock.metrics;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

import dev.distlock.metrics.LockObservationDocumentation.LockKeyNames;

/**
 * The default convention of {@link LockObservationDocumentation#ACQUISITION lock
 * acquisition} observations: named {@code distributed.lock.acquisition}, with the
 * namespace, the store and the outcome as low-cardinality key values.
 *
 * @author Distributed Lock team
 */
public class DefaultLockAcquisitionObservationConvention implements ObservationConvention<LockAcquisitionContext> {

	/**
	 * Create the default convention.
	 */
	public DefaultLockAcquisitionObservationConvention() {
	}

	/**
	 * The shared instance.
	 */
	public static final DefaultLockAcquisitionObservationConvention INSTANCE = new DefaultLockAcquisitionObservationConvention();

	@Override
	public String getName() {
		return "distributed.lock.acquisition";
	}

	@Override
	public String getContextualName(LockAcquisitionContext context) {
		return "acquire lock " + context.getNamespace();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(LockAcquisitionContext context) {
		return keyValues(context);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof LockAcquisitionContext;
	}

	static KeyValues keyValues(LockObservationContext context) {
		KeyValues keyValues = KeyValues.of(LockKeyNames.NAMESPACE.withValue(context.getNamespace()),
				LockKeyNames.STORE.withValue(context.getStore()));
		String outcome = context.getOutcome();
		return (outcome != null) ? keyValues.and(LockKeyNames.OUTCOME.withValue(outcome)) : keyValues;
	}

}
