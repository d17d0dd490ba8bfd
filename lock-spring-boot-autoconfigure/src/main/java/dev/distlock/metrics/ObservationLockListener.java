package dev.distlock.metrics;

import java.time.Duration;
import java.util.Objects;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import dev.distlock.core.Lease;
import dev.distlock.core.LockAttempt;
import dev.distlock.core.LockListener;

/**
 * A {@link LockListener} that reports every lock taken through
 * {@link dev.distlock.core.LockTemplate LockTemplate} as two Micrometer observations, so
 * that an application with tracing gets a span for the wait and one for the hold:
 * <ul>
 * <li>{@code distributed.lock.acquisition}
 * ({@link LockObservationDocumentation#ACQUISITION}): from the start of the acquisition
 * to its outcome, in scope on the acquiring thread;</li>
 * <li>{@code distributed.lock.hold} ({@link LockObservationDocumentation#HOLD}): from the
 * acquisition to the release, a child of the observation current when the lock was
 * acquired.</li>
 * </ul>
 * Both carry only low-cardinality key values ({@code namespace}, {@code store},
 * {@code outcome}); the key is available to custom conventions through the context.
 * Register a {@code GlobalObservationConvention} for {@link LockAcquisitionContext} or
 * {@link LockHoldContext} to change them.
 *
 * @author Distributed Lock team
 */
public class ObservationLockListener implements LockListener {

	private static final String ACQUISITION = ObservationLockListener.class.getName() + ".acquisition";

	private static final String HOLD = ObservationLockListener.class.getName() + ".hold";

	private final ObservationRegistry registry;

	/**
	 * Create a listener that reports to the given registry.
	 * @param registry the observation registry
	 */
	public ObservationLockListener(ObservationRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
	}

	@Override
	public void onAcquiring(LockAttempt attempt) {
		LockAcquisitionContext context = new LockAcquisitionContext(attempt.key(), attempt.store());
		Observation observation = LockObservationDocumentation.ACQUISITION
			.observation(null, DefaultLockAcquisitionObservationConvention.INSTANCE, () -> context, this.registry)
			.start();
		attempt.setAttribute(ACQUISITION, new Running<>(observation, context, observation.openScope()));
	}

	@Override
	public void onAcquired(LockAttempt attempt, Lease lease, Duration waited) {
		stopAcquisition(attempt, "acquired", null);
		LockHoldContext context = new LockHoldContext(attempt.key(), attempt.store(), lease.fencingToken());
		Observation observation = LockObservationDocumentation.HOLD
			.observation(null, DefaultLockHoldObservationConvention.INSTANCE, () -> context, this.registry)
			.start();
		attempt.setAttribute(HOLD, new Running<>(observation, context, null));
	}

	@Override
	public void onNotAcquired(LockAttempt attempt, Duration waited) {
		stopAcquisition(attempt, "not_acquired", null);
	}

	@Override
	public void onAcquireFailed(LockAttempt attempt, Duration waited, RuntimeException error) {
		stopAcquisition(attempt, "error", error);
	}

	@Override
	public void onLost(LockAttempt attempt, Lease lease) {
		Running<LockHoldContext> hold = attempt.getAttribute(HOLD);
		if (hold != null) {
			hold.context().setOutcome("lost");
		}
	}

	@Override
	public void onReleaseFailed(LockAttempt attempt, Lease lease, RuntimeException error) {
		Running<LockHoldContext> hold = attempt.getAttribute(HOLD);
		if (hold != null) {
			if (hold.context().getOutcome() == null) {
				hold.context().setOutcome("release_failed");
			}
			hold.observation().error(error);
		}
	}

	@Override
	public void onReleased(LockAttempt attempt, Lease lease, Duration held) {
		Running<LockHoldContext> hold = attempt.getAttribute(HOLD);
		if (hold != null) {
			if (hold.context().getOutcome() == null) {
				hold.context().setOutcome("released");
			}
			hold.observation().stop();
		}
	}

	private void stopAcquisition(LockAttempt attempt, String outcome, @Nullable Throwable error) {
		Running<LockAcquisitionContext> acquisition = attempt.getAttribute(ACQUISITION);
		if (acquisition == null) {
			return;
		}
		acquisition.context().setOutcome(outcome);
		if (error != null) {
			acquisition.observation().error(error);
		}
		Observation.Scope scope = acquisition.scope();
		if (scope != null) {
			scope.close();
		}
		acquisition.observation().stop();
	}

	private record Running<C extends LockObservationContext>(Observation observation, C context,
			Observation.@Nullable Scope scope) {

	}

}
