package dev.distlock.metrics;

import dev.distlock.metrics.LockObservationDocumentation.LockKeyNames;
import io.micrometer.common.KeyValues;

/**
 * The default convention of {@link LockObservationDocumentation#ACQUISITION lock
 * acquisition} observations: named {@code distributed.lock.acquire}, after the timer that
 * Spring Boot's meter observation handler derives from it, with the namespace, the store
 * and the outcome ({@code acquired}, {@code not_acquired} or {@code error}) as
 * low-cardinality key values.
 *
 * @author Distributed Lock team
 */
public class DefaultLockAcquisitionObservationConvention implements LockAcquisitionObservationConvention {

	/**
	 * The shared instance.
	 */
	public static final DefaultLockAcquisitionObservationConvention INSTANCE = new DefaultLockAcquisitionObservationConvention();

	/**
	 * Create the default convention.
	 */
	public DefaultLockAcquisitionObservationConvention() {
	}

	@Override
	public String getName() {
		return MicrometerLockListener.ACQUIRE;
	}

	@Override
	public String getContextualName(LockAcquisitionContext context) {
		return "acquire lock " + context.getNamespace();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(LockAcquisitionContext context) {
		KeyValues keyValues = KeyValues.of(LockKeyNames.NAMESPACE.withValue(context.getNamespace()),
				LockKeyNames.STORE.withValue(context.getStore()));
		String outcome = context.getOutcome();
		// Unknown while the acquisition runs: the long task timer of running
		// acquisitions is tagged without it, the timer always has it.
		return (outcome != null) ? keyValues.and(LockKeyNames.OUTCOME.withValue(outcome)) : keyValues;
	}

}
