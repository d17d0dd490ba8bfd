package dev.distlock.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import dev.distlock.core.Lease;
import dev.distlock.core.LockAttempt;
import dev.distlock.core.LockListener;

/**
 * A {@link LockListener} that records Micrometer meters for every lock taken through
 * {@link dev.distlock.core.LockTemplate LockTemplate}:
 * <table>
 * <caption>Meters</caption>
 * <tr>
 * <th>Name</th>
 * <th>Type</th>
 * <th>Tags</th>
 * <th>Records</th>
 * </tr>
 * <tr>
 * <td>{@code distributed.lock.acquire}</td>
 * <td>Timer</td>
 * <td>{@code namespace}, {@code store}, {@code outcome} = {@code acquired},
 * {@code not_acquired} or {@code error}</td>
 * <td>the time spent acquiring, waiting included</td>
 * </tr>
 * <tr>
 * <td>{@code distributed.lock.held}</td>
 * <td>Timer</td>
 * <td>{@code namespace}, {@code store}</td>
 * <td>how long each lock was held, recorded when it is released</td>
 * </tr>
 * <tr>
 * <td>{@code distributed.lock.active}</td>
 * <td>LongTaskTimer</td>
 * <td>{@code namespace}, {@code store}</td>
 * <td>the locks held right now and for how long (a lost lease stops counting)</td>
 * </tr>
 * <tr>
 * <td>{@code distributed.lock.renewals}</td>
 * <td>Counter</td>
 * <td>{@code namespace}, {@code store}, {@code outcome} = {@code success} or
 * {@code failure}</td>
 * <td>scheduled lease renewals</td>
 * </tr>
 * <tr>
 * <td>{@code distributed.lock.lost}</td>
 * <td>Counter</td>
 * <td>{@code namespace}, {@code store}</td>
 * <td>leases lost while held</td>
 * </tr>
 * <tr>
 * <td>{@code distributed.lock.release.failures}</td>
 * <td>Counter</td>
 * <td>{@code namespace}, {@code store}</td>
 * <td>releases the store failed; such a lock is freed when its lease expires</td>
 * </tr>
 * </table>
 * <p>
 * Tags never carry the key or any other argument value: keys are per argument and would
 * give every user id its own time series. The meters of a namespace are registered the
 * first time that namespace is locked and cached, so recording costs no registry lookup.
 * Reentrant acquisitions make no store call and are not recorded.
 *
 * @author Distributed Lock team
 */
public class MicrometerLockListener implements LockListener {

	/**
	 * Name of the timer of the time spent acquiring.
	 */
	public static final String ACQUIRE = "distributed.lock.acquire";

	/**
	 * Name of the timer of how long locks were held.
	 */
	public static final String HELD = "distributed.lock.held";

	/**
	 * Name of the long task timer of the locks held right now.
	 */
	public static final String ACTIVE = "distributed.lock.active";

	/**
	 * Name of the counter of lease renewals.
	 */
	public static final String RENEWALS = "distributed.lock.renewals";

	/**
	 * Name of the counter of leases lost while held.
	 */
	public static final String LOST = "distributed.lock.lost";

	/**
	 * Name of the counter of releases that failed in the store.
	 */
	public static final String RELEASE_FAILURES = "distributed.lock.release.failures";

	private static final String ACTIVE_SAMPLE = MicrometerLockListener.class.getName() + ".active";

	private final MeterRegistry registry;

	private final ConcurrentHashMap<Group, Meters> meters = new ConcurrentHashMap<>();

	/**
	 * Create a listener that records to the given registry.
	 * @param registry the meter registry
	 */
	public MicrometerLockListener(MeterRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
	}

	@Override
	public void onAcquired(LockAttempt attempt, Lease lease, Duration waited) {
		Meters meters = metersFor(attempt);
		meters.acquired.record(waited);
		attempt.setAttribute(ACTIVE_SAMPLE, new AtomicReference<>(meters.active.start()));
	}

	@Override
	public void onNotAcquired(LockAttempt attempt, Duration waited) {
		metersFor(attempt).notAcquired.record(waited);
	}

	@Override
	public void onAcquireFailed(LockAttempt attempt, Duration waited, RuntimeException error) {
		metersFor(attempt).error.record(waited);
	}

	@Override
	public void onRenewed(LockAttempt attempt, Lease lease, boolean success) {
		Meters meters = metersFor(attempt);
		(success ? meters.renewalSuccess : meters.renewalFailure).increment();
	}

	@Override
	public void onLost(LockAttempt attempt, Lease lease) {
		metersFor(attempt).lost.increment();
		stopActive(attempt);
	}

	@Override
	public void onReleased(LockAttempt attempt, Lease lease, Duration held) {
		metersFor(attempt).held.record(held);
		stopActive(attempt);
	}

	@Override
	public void onReleaseFailed(LockAttempt attempt, Lease lease, RuntimeException error) {
		metersFor(attempt).releaseFailures.increment();
	}

	private void stopActive(LockAttempt attempt) {
		// A lost lease and its later release both end the sample: only the first
		// stops it.
		AtomicReference<LongTaskTimer.Sample> active = attempt.getAttribute(ACTIVE_SAMPLE);
		LongTaskTimer.Sample sample = (active != null) ? active.getAndSet(null) : null;
		if (sample != null) {
			sample.stop();
		}
	}

	private Meters metersFor(LockAttempt attempt) {
		return this.meters.computeIfAbsent(new Group(attempt.namespace(), attempt.store()),
				(group) -> new Meters(this.registry, group));
	}

	private record Group(String namespace, String store) {

	}

	/**
	 * The meters of one namespace in one store.
	 */
	private static final class Meters {

		final Timer acquired;

		final Timer notAcquired;

		final Timer error;

		final Timer held;

		final LongTaskTimer active;

		final Counter renewalSuccess;

		final Counter renewalFailure;

		final Counter lost;

		final Counter releaseFailures;

		Meters(MeterRegistry registry, Group group) {
			Tags tags = Tags.of("namespace", group.namespace(), "store", group.store());
			this.acquired = acquireTimer(registry, tags, "acquired");
			this.notAcquired = acquireTimer(registry, tags, "not_acquired");
			this.error = acquireTimer(registry, tags, "error");
			this.held = Timer.builder(HELD)
				.description("How long distributed locks were held")
				.tags(tags)
				.register(registry);
			this.active = LongTaskTimer.builder(ACTIVE)
				.description("Distributed locks held right now")
				.tags(tags)
				.register(registry);
			this.renewalSuccess = renewalCounter(registry, tags, "success");
			this.renewalFailure = renewalCounter(registry, tags, "failure");
			this.lost = Counter.builder(LOST)
				.description("Leases of distributed locks lost while held")
				.baseUnit("leases")
				.tags(tags)
				.register(registry);
			this.releaseFailures = Counter.builder(RELEASE_FAILURES)
				.description("Releases of distributed locks that failed in the store")
				.tags(tags)
				.register(registry);
		}

		private static Timer acquireTimer(MeterRegistry registry, Tags tags, String outcome) {
			return Timer.builder(ACQUIRE)
				.description("Time spent acquiring distributed locks, waiting included")
				.tags(tags)
				.tag("outcome", outcome)
				.register(registry);
		}

		private static Counter renewalCounter(MeterRegistry registry, Tags tags, String outcome) {
			return Counter.builder(RENEWALS)
				.description("Lease renewals of held distributed locks")
				.baseUnit("renewals")
				.tags(tags)
				.tag("outcome", outcome)
				.register(registry);
		}

	}

}
