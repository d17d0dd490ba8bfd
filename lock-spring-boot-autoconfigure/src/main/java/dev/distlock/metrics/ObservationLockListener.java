package dev.distlock.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import dev.distlock.core.Lease;
import dev.distlock.core.LockAttempt;
import dev.distlock.core.LockListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LockListener} that reports every lock taken through
 * {@link dev.distlock.core.LockTemplate LockTemplate} as two Micrometer observations: an
 * application with tracing gets a span for the wait and one for the hold, and with Spring
 * Boot's meter observation handler the timers {@code distributed.lock.acquire} and
 * {@code distributed.lock.held} are derived from them.
 * <ul>
 * <li>{@code distributed.lock.acquire}
 * ({@link LockObservationDocumentation#ACQUISITION}): from the start of the acquisition
 * to its outcome; in scope on the caller's thread when the caller blocks until the
 * outcome;</li>
 * <li>{@code distributed.lock.held} ({@link LockObservationDocumentation#HOLD}): from the
 * acquisition until the lock is released or its lease is lost, whichever comes first; a
 * child of the observation current when the lock was acquired.</li>
 * </ul>
 * Both carry only low-cardinality key values ({@code namespace}, {@code store}, and
 * {@code outcome} for the acquisition); the key is available to custom conventions
 * through the context. Pass a {@link LockAcquisitionObservationConvention} or
 * {@link LockHoldObservationConvention} to replace the defaults (Spring Boot passes the
 * application's beans of those types), or register a {@code GlobalObservationConvention}
 * with the registry.
 *
 * @author Distributed Lock team
 */
public class ObservationLockListener implements LockListener {

	private static final String ACQUISITION = ObservationLockListener.class.getName() + ".acquisition";

	private static final String HOLD = ObservationLockListener.class.getName() + ".hold";

	private final ObservationRegistry registry;

	private final @Nullable LockAcquisitionObservationConvention acquisitionConvention;

	private final @Nullable LockHoldObservationConvention holdConvention;

	/**
	 * Create a listener that reports to the given registry with the default conventions
	 * (or the registry's global ones).
	 * @param registry the observation registry
	 */
	public ObservationLockListener(ObservationRegistry registry) {
		this(registry, null, null);
	}

	/**
	 * Create a listener that reports to the given registry.
	 * @param registry the observation registry
	 * @param acquisitionConvention the convention of acquisitions, or {@code null} for
	 * the registry's global one or else the default
	 * @param holdConvention the convention of holds, or {@code null} for the registry's
	 * global one or else the default
	 */
	public ObservationLockListener(ObservationRegistry registry,
			@Nullable LockAcquisitionObservationConvention acquisitionConvention,
			@Nullable LockHoldObservationConvention holdConvention) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.acquisitionConvention = acquisitionConvention;
		this.holdConvention = holdConvention;
	}

	@Override
	public void onAcquiring(LockAttempt attempt) {
		LockAcquisitionContext context = new LockAcquisitionContext(attempt.key(), attempt.store());
		Observation observation = LockObservationDocumentation.ACQUISITION
			.observation(this.acquisitionConvention, DefaultLockAcquisitionObservationConvention.INSTANCE,
					() -> context, this.registry)
			.start();
		// A scope must be closed on the thread that opened it: only a blocking caller
		// is sure to see the outcome on its own thread.
		Observation.Scope scope = attempt.isBlocking() ? observation.openScope() : null;
		attempt.setAttribute(ACQUISITION, new Running<>(observation, context, scope));
	}

	@Override
	public void onAcquired(LockAttempt attempt, Lease lease, Duration waited) {
		stopAcquisition(attempt, "acquired", null);
		LockHoldContext context = new LockHoldContext(attempt.key(), attempt.store(), lease.fencingToken());
		Observation observation = LockObservationDocumentation.HOLD
			.observation(this.holdConvention, DefaultLockHoldObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
		attempt.setAttribute(HOLD, new AtomicReference<>(new Running<>(observation, context, null)));
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
		stopHold(attempt, "lost", null);
	}

	@Override
	public void onReleaseFailed(LockAttempt attempt, Lease lease, RuntimeException error) {
		stopHold(attempt, "release_failed", error);
	}

	@Override
	public void onReleased(LockAttempt attempt, Lease lease, Duration held) {
		stopHold(attempt, "released", null);
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

	private void stopHold(LockAttempt attempt, String outcome, @Nullable Throwable error) {
		// A loss (on the renewal thread) and the release that follows (on the holder's)
		// both end the hold: only the first one stops it.
		AtomicReference<Running<LockHoldContext>> running = attempt.getAttribute(HOLD);
		Running<LockHoldContext> hold = (running != null) ? running.getAndSet(null) : null;
		if (hold == null) {
			return;
		}
		hold.context().setOutcome(outcome);
		if (error != null) {
			hold.observation().error(error);
		}
		hold.observation().stop();
	}

	private record Running<C extends LockObservationContext>(Observation observation, C context,
			Observation.@Nullable Scope scope) {

	}

}
