package dev.distlock.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link LockRegistry} must show, run against a real store. A store's
 * test extends this class and creates its registry; every test uses its own namespace, so
 * a shared server needs no cleaning.
 * <p>
 * Timing checks use generous tolerances: they prove that a waiter wakes on a release
 * rather than at the end of its wait, not how fast it does (the benchmarks measure that).
 *
 * @author Distributed Lock team
 */
public abstract class AbstractLockRegistryContractTests {

	/** Tolerance for "promptly": far above any store's latency, far below the waits. */
	protected static final Duration PROMPT = Duration.ofMillis(1500);

	private LockRegistry registry;

	private LeaseRenewalScheduler scheduler;

	private final List<Lease> lostLeases = new CopyOnWriteArrayList<>();

	private LockTemplate template;

	private String namespace;

	/**
	 * Create the registry under test, connected to a real store.
	 * @return the registry
	 */
	protected abstract LockRegistry createRegistry();

	@BeforeEach
	void setUpRegistry() {
		this.registry = createRegistry();
		this.scheduler = new LeaseRenewalScheduler();
		this.template = new LockTemplate(this.registry, LockSettings.defaults(), this.scheduler, new LockListener() {
			@Override
			public void onLost(LockAttempt attempt, Lease lease) {
				AbstractLockRegistryContractTests.this.lostLeases.add(lease);
			}
		});
		this.namespace = "contract-" + getClass().getSimpleName() + "-" + UUID.randomUUID();
	}

	@AfterEach
	void closeRegistryAndScheduler() throws Exception {
		this.scheduler.close();
		// The suite created the registry, so it closes it (Redis holds a subscription).
		if (this.registry instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	protected LockRegistry registry() {
		return this.registry;
	}

	protected LockTemplate template() {
		return this.template;
	}

	protected LockKey key(Object... parts) {
		return LockKey.of(this.namespace, parts);
	}

	private static LockOptions options(Duration wait, Duration lease, boolean autoRenew) {
		return LockOptions.builder().waitTime(wait).leaseTime(lease).autoRenew(autoRenew).build();
	}

	@Test
	void storeHasANameAndAnswers() {
		assertThat(this.registry.storeName()).isNotBlank();
		this.registry.checkAvailability();
	}

	@Test
	void onlyOneHolderAtATimeUnderSixteenThreads() throws Exception {
		LockKey key = key("counter");
		int threads = 16;
		int iterations = 25;
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger maxInside = new AtomicInteger();
		int[] counter = new int[1];
		List<Long> tokens = Collections.synchronizedList(new ArrayList<>());
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < iterations; i++) {
						this.template.execute(key, options(Duration.ofSeconds(60), Duration.ofSeconds(30), true),
								() -> {
									maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
									tokens.add(LockContext.currentLease().orElseThrow().fencingToken());
									int read = counter[0];
									Thread.yield();
									counter[0] = read + 1;
									inside.decrementAndGet();
									return null;
								});
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(maxInside.get()).as("holders at the same time").isEqualTo(1);
		assertThat(counter[0]).isEqualTo(threads * iterations);
		assertThat(tokens).hasSize(threads * iterations).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void independentKeysDoNotBlockEachOther() throws Exception {
		try (Lease first = this.template.acquire(key("a"), options(Duration.ZERO, Duration.ofSeconds(30), false))) {
			Optional<LockGrant> other = this.registry.tryAcquire(key("b"), "other", Duration.ofSeconds(30),
					Duration.ZERO);
			assertThat(other).isPresent();
			assertThat(this.registry.release(key("b"), "other")).isTrue();
			assertThat(first.isValid()).isTrue();
		}
	}

	@Test
	void heldLockIsNotAcquiredWithoutWaiting() throws Exception {
		LockKey key = key(1);
		assertThat(this.registry.tryAcquire(key, "one", Duration.ofSeconds(30), Duration.ZERO)).isPresent();
		long start = System.nanoTime();
		assertThat(this.registry.tryAcquire(key, "two", Duration.ofSeconds(30), Duration.ZERO)).isEmpty();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
		assertThat(this.registry.release(key, "one")).isTrue();
		assertThat(this.registry.tryAcquire(key, "two", Duration.ofSeconds(30), Duration.ZERO)).isPresent();
		assertThat(this.registry.release(key, "two")).isTrue();
	}

	@Test
	void expiredLeaseIsTakenOverWithAHigherFencingToken() throws Exception {
		LockKey key = key("expiring");
		LockGrant first = this.registry.tryAcquire(key, "first", Duration.ofMillis(300), Duration.ZERO).orElseThrow();
		assertThat(this.registry.tryAcquire(key, "second", Duration.ofSeconds(30), Duration.ZERO)).isEmpty();
		LockGrant second = await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> this.registry.tryAcquire(key, "second", Duration.ofSeconds(30), Duration.ZERO),
					Optional::isPresent)
			.orElseThrow();
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
		assertThat(this.registry.release(key, "first")).as("release by the expired holder").isFalse();
		assertThat(this.registry.renew(key, "first", Duration.ofSeconds(30))).as("renew by the expired holder")
			.isFalse();
		assertThat(this.registry.tryAcquire(key, "third", Duration.ofSeconds(30), Duration.ZERO))
			.as("the second holder still has it")
			.isEmpty();
		assertThat(this.registry.release(key, "second")).isTrue();
	}

	@Test
	void fencingTokensIncreaseForEveryNewHolder() throws Exception {
		LockKey key = key("fencing");
		long previous = Long.MIN_VALUE;
		for (int i = 0; i < 20; i++) {
			String owner = "owner-" + i;
			LockGrant grant = this.registry.tryAcquire(key, owner, Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
			assertThat(grant.fencingToken()).isGreaterThan(previous);
			previous = grant.fencingToken();
			assertThat(this.registry.release(key, owner)).isTrue();
		}
		LockGrant afterForce = this.registry.tryAcquire(key, "forced", Duration.ofSeconds(30), Duration.ZERO)
			.orElseThrow();
		assertThat(this.registry.forceRelease(key)).isTrue();
		assertThat(afterForce.fencingToken()).isGreaterThan(previous);
		LockGrant next = this.registry.tryAcquire(key, "next", Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
		assertThat(next.fencingToken()).isGreaterThan(afterForce.fencingToken());
		this.registry.release(key, "next");
	}

	@Test
	void releaseAndRenewByANonOwnerHaveNoEffect() throws Exception {
		LockKey key = key("owned");
		assertThat(this.registry.tryAcquire(key, "owner", Duration.ofSeconds(30), Duration.ZERO)).isPresent();
		assertThat(this.registry.release(key, "intruder")).isFalse();
		assertThat(this.registry.renew(key, "intruder", Duration.ofSeconds(30))).isFalse();
		assertThat(this.registry.tryAcquire(key, "intruder", Duration.ofSeconds(30), Duration.ZERO)).isEmpty();
		assertThat(this.registry.renew(key, "owner", Duration.ofSeconds(30))).isTrue();
		assertThat(this.registry.release(key, "owner")).isTrue();
		assertThat(this.registry.release(key, "owner")).as("second release").isFalse();
	}

	@Test
	void releaseOfAFreeKeyReportsNothingHeld() {
		assertThat(this.registry.release(key("never"), "anyone")).isFalse();
		assertThat(this.registry.renew(key("never"), "anyone", Duration.ofSeconds(1))).isFalse();
		assertThat(this.registry.forceRelease(key("never"))).isFalse();
	}

	@Test
	void waitTimeIsHonouredWhenTheLockStaysHeld() throws Exception {
		LockKey key = key("waiting");
		assertThat(this.registry.tryAcquire(key, "holder", Duration.ofSeconds(30), Duration.ZERO)).isPresent();
		Duration wait = Duration.ofMillis(400);
		long start = System.nanoTime();
		Optional<LockGrant> grant = this.registry.tryAcquire(key, "waiter", Duration.ofSeconds(30), wait);
		Duration waited = Duration.ofNanos(System.nanoTime() - start);
		assertThat(grant).isEmpty();
		assertThat(waited).isGreaterThanOrEqualTo(wait.minusMillis(20)).isLessThan(wait.plus(PROMPT));
		this.registry.release(key, "holder");
	}

	@Test
	void waiterWakesPromptlyWhenTheHolderReleases() throws Exception {
		LockKey key = key("wake");
		assertThat(this.registry.tryAcquire(key, "holder", Duration.ofSeconds(60), Duration.ZERO)).isPresent();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Long> acquiredAt = executor.submit(() -> {
				this.registry.tryAcquire(key, "waiter", Duration.ofSeconds(30), Duration.ofSeconds(30)).orElseThrow();
				return System.nanoTime();
			});
			Thread.sleep(300);
			long releasedAt = System.nanoTime();
			assertThat(this.registry.release(key, "holder")).isTrue();
			Duration handOff = Duration.ofNanos(acquiredAt.get(20, TimeUnit.SECONDS) - releasedAt);
			assertThat(handOff).as("time from release to the waiter holding the lock").isLessThan(PROMPT);
		}
		finally {
			executor.shutdownNow();
			this.registry.release(key, "waiter");
		}
	}

	@Test
	void waiterTakesOverWhenTheHolderVanishes() throws Exception {
		LockKey key = key("vanished");
		assertThat(this.registry.tryAcquire(key, "crashed", Duration.ofMillis(500), Duration.ZERO)).isPresent();
		long start = System.nanoTime();
		Optional<LockGrant> grant = this.registry.tryAcquire(key, "waiter", Duration.ofSeconds(30),
				Duration.ofSeconds(20));
		assertThat(grant).isPresent();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500).plus(PROMPT));
		this.registry.release(key, "waiter");
	}

	@Test
	void renewalKeepsTheLockPastItsLease() throws Exception {
		LockKey key = key("renewed");
		try (Lease lease = this.template.acquire(key, options(Duration.ZERO, Duration.ofMillis(600), true))) {
			Thread.sleep(1800);
			assertThat(lease.isValid()).isTrue();
			assertThat(this.registry.tryAcquire(key, "other", Duration.ofSeconds(30), Duration.ZERO)).isEmpty();
		}
		assertThat(this.lostLeases).isEmpty();
		assertThat(this.registry.tryAcquire(key, "other", Duration.ofSeconds(30), Duration.ZERO)).isPresent();
		this.registry.release(key, "other");
	}

	@Test
	void lostLeaseIsDetectedByRenewal() throws Exception {
		LockKey key = key("lost");
		Lease lease = this.template.acquire(key, options(Duration.ZERO, Duration.ofMillis(900), true));
		assertThat(this.registry.forceRelease(key)).isTrue();
		LockGrant thief = this.registry.tryAcquire(key, "thief", Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
		assertThat(thief.fencingToken()).isGreaterThan(lease.fencingToken());
		// The lease turns invalid just before the listeners hear of it: wait for both.
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.lostLeases.isEmpty());
		assertThat(lease.isValid()).isFalse();
		assertThat(this.lostLeases).containsExactly(lease);
		lease.close();
		assertThat(this.registry.tryAcquire(key, "third", Duration.ofSeconds(30), Duration.ZERO))
			.as("closing the lost lease left the thief's lock alone")
			.isEmpty();
		assertThat(this.registry.release(key, "thief")).isTrue();
	}

	@Test
	void extendFindsALostLease() throws Exception {
		LockKey key = key("extend");
		Lease lease = this.template.acquire(key, options(Duration.ZERO, Duration.ofSeconds(30), false));
		assertThat(lease.extend(Duration.ofSeconds(40))).isTrue();
		assertThat(this.registry.forceRelease(key)).isTrue();
		assertThat(lease.extend(Duration.ofSeconds(40))).isFalse();
		assertThat(lease.isValid()).isFalse();
		lease.close();
	}

	@Test
	void lockAtLeastForKeepsTheLockAfterRelease() throws Exception {
		LockKey key = key("at-least");
		LockOptions options = LockOptions.builder()
			.leaseTime(Duration.ofSeconds(30))
			.lockAtLeastFor(Duration.ofMillis(800))
			.build();
		this.template.execute(key, options, () -> "done");
		assertThat(this.registry.tryAcquire(key, "other", Duration.ofSeconds(30), Duration.ZERO)).isEmpty();
		Optional<LockGrant> later = this.registry.tryAcquire(key, "other", Duration.ofSeconds(30),
				Duration.ofSeconds(10));
		assertThat(later).isPresent();
		this.registry.release(key, "other");
	}

	@Test
	void templateReleasesWhenTheSectionThrows() {
		LockKey key = key("throws");
		IllegalStateException failure = new IllegalStateException("boom");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.template.execute(key, () -> {
			throw failure;
		})).isSameAs(failure);
		assertThat(this.template.heldLocks()).isEmpty();
		assertThat(this.template.execute(key, () -> "again")).isEqualTo("again");
	}

	@Test
	void templateReportsAHeldLock() throws Exception {
		LockKey key = key("busy");
		assertThat(this.registry.tryAcquire(key, "someone", Duration.ofSeconds(30), Duration.ZERO)).isPresent();
		assertThatExceptionOfType(LockNotAcquiredException.class)
			.isThrownBy(() -> this.template.execute(key, () -> "never"))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo(key));
		this.registry.release(key, "someone");
	}

	@Test
	void lockIsGivenBackWhenItsRenewalCannotBeScheduled() throws Exception {
		LockKey key = key("shutdown");
		this.scheduler.close();
		assertThatExceptionOfType(LockStoreException.class)
			.isThrownBy(() -> this.template.acquire(key, options(Duration.ZERO, Duration.ofSeconds(30), true)))
			.withMessageContaining("renewal");
		assertThat(this.template.heldLocks()).isEmpty();
		assertThat(this.registry.tryAcquire(key, "other", Duration.ofSeconds(30), Duration.ZERO)).isPresent();
		this.registry.release(key, "other");
	}

	@Test
	void sameThreadReentersWithoutAStoreRoundTrip() {
		LockKey key = key("reentrant");
		String result = this.template.execute(key, () -> {
			long outer = LockContext.currentLease().orElseThrow().fencingToken();
			return this.template.execute(key, () -> {
				assertThat(LockContext.currentLease().orElseThrow().fencingToken()).isEqualTo(outer);
				return "inner";
			});
		});
		assertThat(result).isEqualTo("inner");
		assertThat(this.template.heldLocks()).isEmpty();
	}

}
