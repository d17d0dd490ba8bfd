package dev.distlock.benchmarks.jmh;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.AcquireResult;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockTemplate;
import dev.distlock.memory.InMemoryLockStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@link LockTemplate#execute} costs in the caller's thread on top of the store,
 * measured on the in-memory store so that no network hides it: the template with its
 * defaults (auto-renew queues the lease for renewal), without renewal, and the bare store
 * cycle it wraps.
 *
 * @author Distributed Lock team
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TemplateBenchmark {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private final LockKey key = LockKey.of("bench", 42);

	private final LockOptions withoutRenewal = LockOptions.builder().autoRenew(false).build();

	private final LockRequest request = new LockRequest(this.key, "owner", LEASE, Duration.ZERO, false,
			Duration.ofSeconds(5));

	private InMemoryLockStore store = new InMemoryLockStore();

	private LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

	private LockTemplate template = LockTemplate.builder(this.store).scheduler(this.scheduler).build();

	/**
	 * Create the store and the template.
	 */
	@Setup
	public void setUp() {
		this.store = new InMemoryLockStore();
		this.scheduler = new LeaseRenewalScheduler();
		this.template = LockTemplate.builder(this.store).scheduler(this.scheduler).build();
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
	 * @return the outcome, so that it is not optimised away
	 */
	@Benchmark
	public AcquireResult storeCycle() {
		AcquireResult result = this.store.tryAcquire(this.request).toCompletableFuture().join();
		this.store.release(this.key, "owner");
		return result;
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
