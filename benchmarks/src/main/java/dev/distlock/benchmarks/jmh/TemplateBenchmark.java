package dev.distlock.benchmarks.jmh;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockGrant;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockListener;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockTemplate;
import dev.distlock.memory.InMemoryLockRegistry;

/**
 * What {@link LockTemplate#execute} costs in the caller's thread on top of the store,
 * measured on the in-memory store so that no network hides it: the template with its
 * defaults (auto-renew schedules and cancels a renewal), without renewal, and the bare
 * store cycle it wraps.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TemplateBenchmark {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private final LockKey key = LockKey.of("bench", 42);

	private final LockOptions withoutRenewal = LockOptions.builder().autoRenew(false).build();

	private InMemoryLockRegistry registry = new InMemoryLockRegistry();

	private LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

	private LockTemplate template = new LockTemplate(this.registry, LockSettings.defaults(), this.scheduler,
			LockListener.NONE);

	/**
	 * Create the store and the template.
	 */
	@Setup
	public void setUp() {
		this.registry = new InMemoryLockRegistry();
		this.scheduler = new LeaseRenewalScheduler();
		this.template = new LockTemplate(this.registry, LockSettings.defaults(), this.scheduler, LockListener.NONE);
	}

	/**
	 * Stop the renewal scheduler.
	 */
	@TearDown
	public void tearDown() {
		this.scheduler.close();
	}

	/**
	 * The in-memory store's own acquire + release.
	 * @return the grant, so that it is not optimised away
	 * @throws InterruptedException never, as nothing waits
	 */
	@Benchmark
	public Optional<LockGrant> registryCycle() throws InterruptedException {
		Optional<LockGrant> grant = this.registry.tryAcquire(this.key, "owner", LEASE, Duration.ZERO);
		this.registry.release(this.key, "owner");
		return grant;
	}

	/**
	 * {@code LockTemplate.execute} with the defaults: auto-renew on.
	 * @return the action's result
	 */
	@Benchmark
	public String execute() {
		return this.template.execute(this.key, () -> "done");
	}

	/**
	 * {@code LockTemplate.execute} with auto-renew off.
	 * @return the action's result
	 */
	@Benchmark
	public String executeWithoutRenewal() {
		return this.template.execute(this.key, this.withoutRenewal, () -> "done");
	}

}
