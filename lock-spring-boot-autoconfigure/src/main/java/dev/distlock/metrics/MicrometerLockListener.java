package dev.distlock.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.distlock.core.Lease;
import dev.distlock.core.LockAttempt;
import dev.distlock.core.LockListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

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
 * <td>how long each lock was held, until its release or the loss of its lease</td>
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
 * The three timers are this listener's only when it is created to
 * {@linkplain #MicrometerLockListener(MeterRegistry, boolean) record them}. When lock
 * observations reach Spring Boot's meter observation handler, the handler derives
 * {@code distributed.lock.acquire} and {@code distributed.lock.held} from the
 * observations (with an added {@code error} tag) and {@code distributed.lock.held.active}
 * takes the place of {@code distributed.lock.active}; the listener then records only the
 * counters, so that every interval is measured once.
 * <p>
 * Tags never carry the key or any other argument value: keys are per argument and would
 * give every user id its own time series. The meters of a namespace are registered the
 * first time that namespace is locked and cached, so recording costs no registry lookup.
 * Reentrant acquisitions make no store call and are not recorded.
 *
 * @author Distributed Lock team
 * @see ObservationLockListener
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

	private static final String HOLD = MicrometerLockListener.class.getName() + ".hold";

	private final MeterRegistry registry;

	private final boolean timers;

	private final ConcurrentHashMap<Group, Meters> meters = new ConcurrentHashMap<>();

	/**
	 * Create a listener that records every meter, timers included, to the given registry.
	 * @param registry the meter registry
	 */
	public MicrometerLockListener(MeterRegistry registry) {
		this(registry, true);
	}

	/**
	 * Create a listener that records to the given registry.
	 * @param registry the meter registry
	 * @param timers whether to record the timers {@code distributed.lock.acquire},
	 * {@code distributed.lock.held} and {@code distributed.lock.active}; {@code false}
	 * when lock observations reach a meter observation handler, which derives the timers
	 * from them
	 */
	public MicrometerLockListener(MeterRegistry registry, boolean timers) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.timers = timers;
	}

	/**
	 * Return whether this listener records the timers, or only the counters.
	 * @return whether it records the timers
	 */
	public boolean recordsTimers() {
		return this.timers;
	}

	@Override
	public void onAcquired(LockAttempt attempt, Lease lease, Duration waited) {
		Timers timers = metersFor(attempt).timers;
		if (timers != null) {
			timers.acquired.record(waited);
			attempt.setAttribute(HOLD, new AtomicReference<>(new Hold(System.nanoTime(), timers.active.start())));
		}
	}

	@Override
	public void onNotAcquired(LockAttempt attempt, Duration waited) {
		Timers timers = metersFor(attempt).timers;
		if (timers != null) {
			timers.notAcquired.record(waited);
		}
	}

	@Override
	public void onAcquireFailed(LockAttempt attempt, Duration waited, RuntimeException error) {
		Timers timers = metersFor(attempt).timers;
		if (timers != null) {
			timers.error.record(waited);
		}
	}

	@Override
	public void onRenewed(LockAttempt attempt, Lease lease, boolean success) {
		Meters meters = metersFor(attempt);
		(success ? meters.renewalSuccess : meters.renewalFailure).increment();
	}

	@Override
	public void onLost(LockAttempt attempt, Lease lease) {
		Meters meters = metersFor(attempt);
		meters.lost.increment();
		endHold(attempt, meters.timers);
	}

	@Override
	public void onReleased(LockAttempt attempt, Lease lease, Duration held) {
		endHold(attempt, metersFor(attempt).timers);
	}

	@Override
	public void onReleaseFailed(LockAttempt attempt, Lease lease, RuntimeException error) {
		metersFor(attempt).releaseFailures.increment();
	}

	private void endHold(LockAttempt attempt, @Nullable Timers timers) {
		if (timers == null) {
			return;
		}
		// A loss (on the renewal thread) and the release that follows (on the holder's)
		// both end the hold: only the first one records it.
		AtomicReference<Hold> running = attempt.getAttribute(HOLD);
		Hold hold = (running != null) ? running.getAndSet(null) : null;
		if (hold != null) {
			hold.active().stop();
			timers.held.record(System.nanoTime() - hold.startNanos(), TimeUnit.NANOSECONDS);
		}
	}

	private Meters metersFor(LockAttempt attempt) {
		return this.meters.computeIfAbsent(new Group(attempt.namespace(), attempt.store()),
				(group) -> new Meters(this.registry, group, this.timers));
	}

	private record Group(String namespace, String store) {

	}

	private record Hold(long startNanos, LongTaskTimer.Sample active) {

	}

	/**
	 * The meters of one namespace in one store.
	 */
	private static final class Meters {

		/** {@code null} when observations time the locks. */
		final @Nullable Timers timers;

		final Counter renewalSuccess;

		final Counter renewalFailure;

		final Counter lost;

		final Counter releaseFailures;

		Meters(MeterRegistry registry, Group group, boolean timers) {
			Tags tags = Tags.of("namespace", group.namespace(), "store", group.store());
			this.timers = timers ? new Timers(registry, tags) : null;
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

		private static Counter renewalCounter(MeterRegistry registry, Tags tags, String outcome) {
			return Counter.builder(RENEWALS)
				.description("Lease renewals of held distributed locks")
				.baseUnit("renewals")
				.tags(tags)
				.tag("outcome", outcome)
				.register(registry);
		}

	}

	/**
	 * The timers of one namespace in one store.
	 */
	private static final class Timers {

		final Timer acquired;

		final Timer notAcquired;

		final Timer error;

		final Timer held;

		final LongTaskTimer active;

		Timers(MeterRegistry registry, Tags tags) {
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
		}

		private static Timer acquireTimer(MeterRegistry registry, Tags tags, String outcome) {
			return Timer.builder(ACQUIRE)
				.description("Time spent acquiring distributed locks, waiting included")
				.tags(tags)
				.tag("outcome", outcome)
				.register(registry);
		}

	}

}
