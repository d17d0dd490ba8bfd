package dev.distlock.metrics;

import dev.distlock.metrics.LockObservationDocumentation.LockKeyNames;
import io.micrometer.common.KeyValues;

/**
 * The default convention of {@link LockObservationDocumentation#HOLD lock hold}
 * observations: named {@code distributed.lock.held}, after the timer that Spring Boot's
 * meter observation handler derives from it, with the namespace and the store as
 * low-cardinality key values. How the hold ended ({@link LockHoldContext#getOutcome()})
 * is left to custom conventions: losses and failed releases have counters of their own.
 *
 * @author Distributed Lock team
 */
public class DefaultLockHoldObservationConvention implements LockHoldObservationConvention {

	/**
	 * The shared instance.
	 */
	public static final DefaultLockHoldObservationConvention INSTANCE = new DefaultLockHoldObservationConvention();

	/**
	 * Create the default convention.
	 */
	public DefaultLockHoldObservationConvention() {
	}

	@Override
	public String getName() {
		return MicrometerLockListener.HELD;
	}

	@Override
	public String getContextualName(LockHoldContext context) {
		return "hold lock " + context.getNamespace();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(LockHoldContext context) {
		return KeyValues.of(LockKeyNames.NAMESPACE.withValue(context.getNamespace()),
				LockKeyNames.STORE.withValue(context.getStore()));
	}

}
