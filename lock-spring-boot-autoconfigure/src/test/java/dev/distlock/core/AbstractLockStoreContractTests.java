package dev.distlock.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.distlock.reactive.ReactiveLockContext;
import dev.distlock.reactive.ReactiveLockTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link LockStore} must show, run against a real store, through the
 * blocking, asynchronous and reactive APIs. A store's test extends this class and creates
 * stores on one server: each {@link #createStore()} is another instance of the
 * application, so that waking a waiter on another instance is part of the contract. Every
 * test uses its own namespace, so a shared server needs no cleaning.
 * <p>
 * Timing checks use generous tolerances: they prove that a waiter wakes on a release
 * rather than at the end of its wait, not how fast it does (the benchmarks measure that).
 *
 * @author Distributed Lock team
 */
public abstract class AbstractLockStoreContractTests {

	/** The system property that runs concurrent callers on virtual threads. */
	protected static final String VIRTUAL_THREADS = "distlock.test.virtual-threads";

	/** Tolerance for "promptly": far above any store's latency, far below the waits. */
	protected static final Duration PROMPT = Duration.ofMillis(1500);

	private final List<LockStore> stores = new ArrayList<>();

	private final List<LeaseRenewalScheduler> schedulers = new ArrayList<>();

	private LockStore store;

	private LockTemplate template;

	private final List<Lease> lostLeases = new CopyOnWriteArrayList<>();

	private String namespace;

	/**
	 * Create a store connected to the real server under test; every call is another
	 * instance of the application.
	 * @return the store
	 */
	protected abstract LockStore createStore();

	@BeforeEach
	void setUpStore() {
		this.store = newStore();
		this.template = template(this.store, LockSettings.defaults());
		this.namespace = "contract-" + getClass().getSimpleName() + "-" + UUID.randomUUID();
	}

	@AfterEach
	void closeStoresAndSchedulers() throws Exception {
		for (LeaseRenewalScheduler scheduler : this.schedulers) {
			scheduler.close();
		}
		// The suite created the stores, so it closes them (Redis holds a subscription).
		for (LockStore created : this.stores) {
			if (created instanceof AutoCloseable closeable) {
				closeable.close();
			}
		}
	}

	/**
	 * Return the threads that play concurrent callers: platform threads, or virtual
	 * threads (on Java 21 and later) when the system property {@value #VIRTUAL_THREADS}
	 * is {@code true}, so that CI runs the blocking suite once more on virtual threads.
	 * @param threads how many callers run at once
	 * @return the executor; shut it down after use
	 */
	protected static ExecutorService workers(int threads) {
		if (Boolean.getBoolean(VIRTUAL_THREADS)) {
			try {
				return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(VIRTUAL_THREADS + " needs Java 21 or later", ex);
			}
		}
		return Executors.newFixedThreadPool(threads);
	}

	protected LockStore newStore() {
		LockStore created = createStore();
		this.stores.add(created);
		return created;
	}

	protected LockTemplate template(LockStore lockStore, LockSettings settings) {
		LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();
		this.schedulers.add(scheduler);
		return LockTemplate.builder(lockStore).settings(settings).scheduler(scheduler).listener(new LockListener() {
			@Override
			public void onLost(LockAttempt attempt, Lease lease) {
				AbstractLockStoreContractTests.this.lostLeases.add(lease);
			}
		}).build();
	}

	protected LockStore store() {
		return this.store;
	}

	protected LockTemplate template() {
		return this.template;
	}

	protected LockKey key(Object... parts) {
		return LockKey.of(this.namespace, parts);
	}

	protected static LockOptions options(Duration wait, Duration lease, boolean autoRenew) {
		return LockOptions.builder().waitTime(wait).leaseTime(lease).autoRenew(autoRenew).build();
	}

	// The SPI, one attempt at a time

	protected static Optional<Long> acquire(LockStore lockStore, LockKey key, String owner, Duration lease) {
		AcquireResult result = lockStore
			.tryAcquire(new LockRequest(key, owner, lease, Duration.ZERO, false, Duration.ofSeconds(5)))
			.toCompletableFuture()
			.join();
		return result.isAcquired() ? Optional.of(result.fencingToken()) : Optional.empty();
	}

	protected static HandOverResult handOver(LockStore lockStore, LockKey key, String owner, String next) {
		LockRequest request = new LockRequest(key, next, Duration.ofSeconds(30), Duration.ofSeconds(5), false,
				Duration.ofSeconds(5));
		return lockStore.handOver(key, owner, request, false).toCompletableFuture().join();
	}

	protected static boolean release(LockStore lockStore, LockKey key, String owner) {
		return lockStore.release(key, owner).toCompletableFuture().join();
	}

	protected static boolean renew(LockStore lockStore, LockKey key, String owner, Duration lease) {
		return lockStore.renew(List.of(new LeaseRenewal(key, owner, lease))).toCompletableFuture().join().get(0);
	}

	protected static boolean forceRelease(LockStore lockStore, LockKey key) {
		return lockStore.forceRelease(key).toCompletableFuture().join();
	}

	@Test
	void storeHasANameAndAnswers() {
		assertThat(this.store.storeName()).isNotBlank();
		this.store.checkAvailability();
	}

	@Test
	void heldLockIsNotAcquiredWithoutWaiting() {
		LockKey key = key(1);
		assertThat(acquire(this.store, key, "one", Duration.ofSeconds(30))).isPresent();
		long start = System.nanoTime();
		assertThat(acquire(this.store, key, "two", Duration.ofSeconds(30))).isEmpty();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
		assertThat(release(this.store, key, "one")).isTrue();
		assertThat(acquire(this.store, key, "two", Duration.ofSeconds(30))).isPresent();
		assertThat(release(this.store, key, "two")).isTrue();
	}

	@Test
	void independentKeysDoNotBlockEachOther() {
		try (Lease first = this.template.acquire(key("a"), options(Duration.ZERO, Duration.ofSeconds(30), false))) {
			assertThat(acquire(this.store, key("b"), "other", Duration.ofSeconds(30))).isPresent();
			assertThat(release(this.store, key("b"), "other")).isTrue();
			assertThat(first.isValid()).isTrue();
		}
	}

	@Test
	void expiredLeaseIsTakenOverWithAHigherFencingToken() {
		LockKey key = key("expiring");
		long first = acquire(this.store, key, "first", Duration.ofMillis(300)).orElseThrow();
		assertThat(acquire(this.store, key, "second", Duration.ofSeconds(30))).isEmpty();
		long second = await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> acquire(this.store, key, "second", Duration.ofSeconds(30)), Optional::isPresent)
			.orElseThrow();
		assertThat(second).isGreaterThan(first);
		assertThat(release(this.store, key, "first")).as("release by the expired holder").isFalse();
		assertThat(renew(this.store, key, "first", Duration.ofSeconds(30))).as("renew by the expired holder").isFalse();
		assertThat(acquire(this.store, key, "third", Duration.ofSeconds(30))).as("the second holder still has it")
			.isEmpty();
		assertThat(release(this.store, key, "second")).isTrue();
	}

	@Test
	void fencingTokensIncreaseForEveryNewHolder() {
		LockKey key = key("fencing");
		long previous = Long.MIN_VALUE;
		for (int i = 0; i < 20; i++) {
			String owner = "owner-" + i;
			long token = acquire(this.store, key, owner, Duration.ofSeconds(30)).orElseThrow();
			assertThat(token).isGreaterThan(previous);
			previous = token;
			assertThat(release(this.store, key, owner)).isTrue();
		}
		long afterForce = acquire(this.store, key, "forced", Duration.ofSeconds(30)).orElseThrow();
		assertThat(forceRelease(this.store, key)).isTrue();
		assertThat(afterForce).isGreaterThan(previous);
		long next = acquire(this.store, key, "next", Duration.ofSeconds(30)).orElseThrow();
		assertThat(next).isGreaterThan(afterForce);
		release(this.store, key, "next");
	}

	@Test
	void releaseAndRenewByANonOwnerHaveNoEffect() {
		LockKey key = key("owned");
		assertThat(acquire(this.store, key, "owner", Duration.ofSeconds(30))).isPresent();
		assertThat(release(this.store, key, "intruder")).isFalse();
		assertThat(renew(this.store, key, "intruder", Duration.ofSeconds(30))).isFalse();
		assertThat(acquire(this.store, key, "intruder", Duration.ofSeconds(30))).isEmpty();
		assertThat(renew(this.store, key, "owner", Duration.ofSeconds(30))).isTrue();
		assertThat(release(this.store, key, "owner")).isTrue();
		assertThat(release(this.store, key, "owner")).as("second release").isFalse();
	}

	@Test
	void handOverGivesTheLockToTheNextOwnerWithAHigherFencingToken() {
		LockKey key = key("hand-over");
		long first = acquire(this.store, key, "first", Duration.ofSeconds(30)).orElseThrow();
		HandOverResult handed = handOver(this.store, key, "first", "second");
		assertThat(handed.released()).as("the first owner held the lock").isTrue();
		assertThat(handed.next().isAcquired()).as("the second owner has it").isTrue();
		assertThat(handed.next().fencingToken()).isGreaterThan(first);
		assertThat(acquire(this.store, key, "third", Duration.ofSeconds(30))).as("never free in between").isEmpty();
		assertThat(release(this.store, key, "first")).as("release by the first owner").isFalse();
		assertThat(renew(this.store, key, "second", Duration.ofSeconds(30))).as("the second owner's lease").isTrue();
		assertThat(release(this.store, key, "second")).isTrue();
		long third = acquire(this.store, key, "third", Duration.ofSeconds(30)).orElseThrow();
		assertThat(third).isGreaterThan(handed.next().fencingToken());
		assertThat(release(this.store, key, "third")).isTrue();
	}

	@Test
	void handOverByAnOwnerThatNoLongerHoldsTheLockIsAnOrdinaryAttempt() {
		LockKey key = key("hand-over-lost");
		assertThat(acquire(this.store, key, "other", Duration.ofSeconds(30))).isPresent();
		HandOverResult whileHeld = handOver(this.store, key, "gone", "next");
		assertThat(whileHeld.released()).isFalse();
		assertThat(whileHeld.next().isAcquired()).as("another owner holds it").isFalse();
		assertThat(release(this.store, key, "other")).as("the holder keeps it").isTrue();
		HandOverResult whileFree = handOver(this.store, key, "gone", "next");
		assertThat(whileFree.released()).isFalse();
		assertThat(whileFree.next().isAcquired()).as("the lock was free").isTrue();
		assertThat(release(this.store, key, "next")).isTrue();
	}

	@Test
	void releaseOfAFreeKeyReportsNothingHeld() {
		assertThat(release(this.store, key("never"), "anyone")).isFalse();
		assertThat(renew(this.store, key("never"), "anyone", Duration.ofSeconds(1))).isFalse();
		assertThat(forceRelease(this.store, key("never"))).isFalse();
	}

	@Test
	void keysWithDifferentPartListsAreDifferentLocks() {
		String ns = this.namespace + "-parts";
		List<LockKey> keys = List.of(LockKey.of(ns), LockKey.of(ns, ""),
				LockKey.of(ns, (Object) new String[] { "a,b", "c" }),
				LockKey.of(ns, (Object) new String[] { "a", "b,c" }), LockKey.of(ns, List.of("x", "null")),
				LockKey.of(ns, Map.of("a", 1)), LockKey.of(ns, "a=1"));
		for (LockKey key : keys) {
			assertThat(acquire(this.store, key, "owner", Duration.ofSeconds(30))).as("lock %s", key).isPresent();
		}
		for (LockKey key : keys) {
			assertThat(release(this.store, key, "owner")).isTrue();
		}
	}

	@Test
	void renewalsOfSeveralLeasesAnswerEachInOrder() {
		LockKey held = key("renew", 1);
		LockKey other = key("renew", 2);
		LockKey free = key("renew", 3);
		assertThat(acquire(this.store, held, "owner", Duration.ofSeconds(30))).isPresent();
		assertThat(acquire(this.store, other, "someone-else", Duration.ofSeconds(30))).isPresent();
		List<Boolean> results = this.store.renew(List.of(new LeaseRenewal(held, "owner", Duration.ofSeconds(30)),
				new LeaseRenewal(other, "owner", Duration.ofSeconds(30)),
				new LeaseRenewal(free, "owner", Duration.ofSeconds(30)),
				new LeaseRenewal(held, "owner", Duration.ofSeconds(20))))
			.toCompletableFuture()
			.join();
		assertThat(results).containsExactly(true, false, false, true);
		release(this.store, held, "owner");
		release(this.store, other, "someone-else");
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
		ExecutorService executor = workers(threads);
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
	void twoInstancesNeverHoldAtTheSameTime() throws Exception {
		LockKey key = key("instances");
		LockTemplate other = template(newStore(), LockSettings.defaults());
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger maxInside = new AtomicInteger();
		ExecutorService executor = workers(8);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				LockTemplate instance = (t % 2 == 0) ? this.template : other;
				futures.add(executor.submit(() -> {
					for (int i = 0; i < 15; i++) {
						instance.execute(key, options(Duration.ofSeconds(60), Duration.ofSeconds(30), true), () -> {
							maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
							Thread.sleep(1);
							inside.decrementAndGet();
							return null;
						});
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(maxInside.get()).isEqualTo(1);
	}

	@Test
	void waitTimeIsHonouredWhenTheLockStaysHeld() {
		LockKey key = key("waiting");
		assertThat(acquire(this.store, key, "holder", Duration.ofSeconds(30))).isPresent();
		Duration wait = Duration.ofMillis(400);
		long start = System.nanoTime();
		Optional<Lease> lease = this.template.tryAcquire(key, options(wait, Duration.ofSeconds(30), false));
		Duration waited = Duration.ofNanos(System.nanoTime() - start);
		assertThat(lease).isEmpty();
		assertThat(waited).isGreaterThanOrEqualTo(wait.minusMillis(20)).isLessThan(wait.plus(PROMPT));
		release(this.store, key, "holder");
	}

	@Test
	void waiterWakesPromptlyWhenTheHolderOfThisInstanceReleases() throws Exception {
		assertWaiterWakesPromptly(this.template);
	}

	@Test
	void waiterWakesPromptlyWhenTheHolderOfAnotherInstanceReleases() throws Exception {
		assertWaiterWakesPromptly(template(newStore(), LockSettings.defaults()));
	}

	private void assertWaiterWakesPromptly(LockTemplate holderTemplate) throws Exception {
		LockKey key = key("wake");
		Lease holder = holderTemplate.acquire(key, options(Duration.ZERO, Duration.ofSeconds(60), false));
		ExecutorService executor = workers(1);
		try {
			Future<Long> acquiredAt = executor.submit(() -> {
				Lease lease = this.template.acquire(key,
						options(Duration.ofSeconds(30), Duration.ofSeconds(30), false));
				long at = System.nanoTime();
				lease.close();
				return at;
			});
			Thread.sleep(300);
			long releasedAt = System.nanoTime();
			holder.close();
			Duration handOff = Duration.ofNanos(acquiredAt.get(20, TimeUnit.SECONDS) - releasedAt);
			assertThat(handOff).as("time from release to the waiter holding the lock").isLessThan(PROMPT);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void waiterTakesOverWhenTheHolderVanishes() {
		LockKey key = key("vanished");
		assertThat(acquire(this.store, key, "crashed", Duration.ofMillis(500))).isPresent();
		long start = System.nanoTime();
		Optional<Lease> lease = this.template.tryAcquire(key,
				options(Duration.ofSeconds(20), Duration.ofSeconds(30), false));
		assertThat(lease).isPresent();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500).plus(PROMPT));
		lease.get().close();
	}

	@Test
	void renewalKeepsTheLockPastItsLease() throws Exception {
		LockKey key = key("renewed");
		try (Lease lease = this.template.acquire(key, options(Duration.ZERO, Duration.ofMillis(600), true))) {
			Thread.sleep(1800);
			assertThat(lease.isValid()).isTrue();
			assertThat(acquire(this.store, key, "other", Duration.ofSeconds(30))).isEmpty();
		}
		assertThat(this.lostLeases).isEmpty();
		assertThat(acquire(this.store, key, "other", Duration.ofSeconds(30))).isPresent();
		release(this.store, key, "other");
	}

	@Test
	void lostLeaseIsDetectedByRenewal() {
		LockKey key = key("lost");
		Lease lease = this.template.acquire(key, options(Duration.ZERO, Duration.ofMillis(900), true));
		assertThat(forceRelease(this.store, key)).isTrue();
		long thief = acquire(this.store, key, "thief", Duration.ofSeconds(30)).orElseThrow();
		assertThat(thief).isGreaterThan(lease.fencingToken());
		// The lease turns invalid just before the listeners hear of it: wait for both.
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.lostLeases.isEmpty());
		assertThat(lease.isValid()).isFalse();
		assertThat(this.lostLeases).containsExactly(lease);
		lease.close();
		assertThat(acquire(this.store, key, "third", Duration.ofSeconds(30)))
			.as("closing the lost lease left the thief's lock alone")
			.isEmpty();
		assertThat(release(this.store, key, "thief")).isTrue();
	}

	@Test
	void leaseEndsAtItsLocalDeadlineWhenRenewalsCannotReachTheStore() throws Exception {
		FaultyLockStore faulty = new FaultyLockStore(newStore());
		List<Lease> lost = new CopyOnWriteArrayList<>();
		LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();
		this.schedulers.add(scheduler);
		LockTemplate partitioned = LockTemplate.builder(faulty)
			.settings(LockSettings.builder().leaseLostPolicy(LeaseLostPolicy.THROW).build())
			.scheduler(scheduler)
			.listener(new LockListener() {
				@Override
				public void onLost(LockAttempt attempt, Lease lease) {
					lost.add(lease);
				}
			})
			.build();
		LockKey key = key("partition");
		long start = System.nanoTime();
		assertThatExceptionOfType(LockLostException.class)
			.isThrownBy(() -> partitioned.execute(key, options(Duration.ZERO, Duration.ofMillis(900), true), () -> {
				Lease lease = LockContext.currentLease().orElseThrow();
				long granted = System.nanoTime();
				faulty.failRenew(true);
				long lastValid = granted;
				while (true) {
					long asked = System.nanoTime();
					if (!lease.isValid()) {
						break;
					}
					lastValid = asked;
					Thread.sleep(1);
				}
				// The last moment the holder was told it still held the lock: the store
				// received the acquire between start and granted, and counts its lease
				// from then.
				Duration validFor = Duration.ofNanos(lastValid - granted);
				assertThat(validFor).as("the holder believed it held the lock after the grant for")
					.isLessThanOrEqualTo(Duration.ofMillis(900));
				assertThat(lease.expiresAt()).isBefore(java.time.Instant.now().plusMillis(1));
				Thread.sleep(300);
				return null;
			}));
		assertThat(lost).hasSize(1);
		assertThat(faulty.renewCalls()).as("renewals retried within the lease").isGreaterThan(1);
	}

	@Test
	void aFailedRenewalIsRetriedWithinTheLease() throws Exception {
		FaultyLockStore faulty = new FaultyLockStore(newStore());
		LockTemplate flaky = template(faulty, LockSettings.defaults());
		LockKey key = key("retried");
		try (Lease lease = flaky.acquire(key, options(Duration.ZERO, Duration.ofMillis(1500), true))) {
			faulty.failRenew(true);
			await().atMost(Duration.ofSeconds(2)).until(() -> faulty.renewCalls() >= 2);
			faulty.failRenew(false);
			Thread.sleep(2000);
			assertThat(lease.isValid()).as("the store answered again before the lease ended").isTrue();
		}
		assertThat(this.lostLeases).isEmpty();
	}

	@Test
	void leasesDueTogetherAreRenewedInFewCalls() throws Exception {
		FaultyLockStore counting = new FaultyLockStore(newStore());
		LockTemplate many = template(counting, LockSettings.defaults());
		List<Lease> leases = Collections.synchronizedList(new ArrayList<>());
		ExecutorService executor = workers(8);
		try {
			List<Future<?>> acquired = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				int first = t * 125;
				acquired.add(executor.submit(() -> {
					for (int i = first; i < first + 125; i++) {
						leases.add(many.acquire(key("batch", i), options(Duration.ZERO, Duration.ofSeconds(9), true)));
					}
				}));
			}
			for (Future<?> future : acquired) {
				future.get(1, TimeUnit.MINUTES);
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> counting.renewedLeases() >= 1000);
			assertThat(counting.renewCalls()).as("store calls for the first 1,000 renewals").isLessThanOrEqualTo(10);
			assertThat(leases).allMatch(Lease::isValid);
		}
		finally {
			executor.shutdownNow();
			leases.forEach(Lease::close);
		}
	}

	@Test
	void extendFindsALostLease() {
		LockKey key = key("extend");
		Lease lease = this.template.acquire(key, options(Duration.ZERO, Duration.ofSeconds(30), false));
		assertThat(lease.extend(Duration.ofSeconds(40))).isTrue();
		assertThat(forceRelease(this.store, key)).isTrue();
		assertThat(lease.extend(Duration.ofSeconds(40))).isFalse();
		assertThat(lease.isValid()).isFalse();
		lease.close();
	}

	@Test
	void lockAtLeastForKeepsTheLockAfterRelease() {
		LockKey key = key("at-least");
		LockOptions options = LockOptions.builder()
			.leaseTime(Duration.ofSeconds(30))
			.lockAtLeastFor(Duration.ofMillis(800))
			.build();
		this.template.execute(key, options, () -> "done");
		assertThat(acquire(this.store, key, "other", Duration.ofSeconds(30))).isEmpty();
		Optional<Lease> later = this.template.tryAcquire(key,
				options(Duration.ofSeconds(10), Duration.ofSeconds(30), false));
		assertThat(later).isPresent();
		later.get().close();
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
	void templateReportsAHeldLock() {
		LockKey key = key("busy");
		assertThat(acquire(this.store, key, "someone", Duration.ofSeconds(30))).isPresent();
		assertThatExceptionOfType(LockNotAcquiredException.class)
			.isThrownBy(() -> this.template.execute(key, () -> "never"))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo(key));
		release(this.store, key, "someone");
	}

	@Test
	void lockIsGivenBackWhenItsRenewalCannotBeScheduled() {
		LockKey key = key("shutdown");
		LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();
		LockTemplate closing = LockTemplate.builder(this.store).scheduler(scheduler).build();
		scheduler.close();
		assertThatExceptionOfType(LockStoreException.class)
			.isThrownBy(() -> closing.acquire(key, options(Duration.ZERO, Duration.ofSeconds(30), true)));
		assertThat(closing.heldLocks()).isEmpty();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> acquire(this.store, key, "other", Duration.ofSeconds(30)), Optional::isPresent);
		release(this.store, key, "other");
	}

	@Test
	void sameInvocationReentersWithoutAStoreRoundTrip() {
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

	@Test
	void anAttemptThatTimedOutIsReleasedOnceTheStoreAnswers() {
		FaultyLockStore slow = new FaultyLockStore(newStore()).delayAcquire(Duration.ofMillis(1500));
		LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();
		this.schedulers.add(scheduler);
		LockTemplate impatient = LockTemplate.builder(slow)
			.scheduler(scheduler)
			.storeTimeout(Duration.ofMillis(200))
			.build();
		LockKey key = key("ghost");
		long start = System.nanoTime();
		assertThatExceptionOfType(LockStoreException.class)
			.isThrownBy(() -> impatient.acquire(key, options(Duration.ZERO, Duration.ofSeconds(30), false)));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to report the unanswered attempt")
			.isLessThan(Duration.ofMillis(1400));
		// The attempt did reach the store: its lock must not stay for a whole lease.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> acquire(this.store, key, "next", Duration.ofSeconds(30)), Optional::isPresent);
		release(this.store, key, "next");
	}

	// Asynchronous

	@Test
	void executeAsyncRunsTheSectionUnderTheLockAndReleasesWhenItsStageCompletes() throws Exception {
		LockKey key = key("async");
		CompletableFuture<String> work = new CompletableFuture<>();
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<String> result = this.template.executeAsync(key,
				options(Duration.ZERO, Duration.ofSeconds(30), true), () -> {
					assertThat(LockContext.currentLease()).isPresent();
					started.countDown();
					return work;
				});
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(result).isNotDone();
		assertThat(acquire(this.store, key, "other", Duration.ofSeconds(30))).as("held while the stage runs").isEmpty();
		assertThat(this.template.heldLocks()).hasSize(1);
		work.complete("done");
		assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(acquire(this.store, key, "other", Duration.ofSeconds(30))).as("released").isPresent();
		release(this.store, key, "other");
	}

	@Test
	void asyncCallersAreExcludedAndServedInTurn() throws Exception {
		LockKey key = key("async-exclusion");
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger maxInside = new AtomicInteger();
		List<CompletableFuture<Integer>> results = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			int n = i;
			results.add(this.template.executeAsync(key, options(Duration.ofSeconds(60), Duration.ofSeconds(30), true),
					() -> CompletableFuture.supplyAsync(() -> {
						maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
						inside.decrementAndGet();
						return n;
					})));
		}
		CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
		assertThat(maxInside.get()).isEqualTo(1);
	}

	@Test
	void asyncCallersOfTwoInstancesAreAllServedRoundAfterRound() throws Exception {
		// Many short rounds: each ends with the last waiters of the key, where a wake-up
		// sent to a waiter that had just finished would leave the others waiting.
		List<LockTemplate> instances = List.of(this.template, template(newStore(), LockSettings.builder().build()));
		for (int round = 0; round < 20; round++) {
			LockKey key = key("rounds", round);
			List<CompletableFuture<Integer>> results = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				int n = i;
				results.add(instances.get((i % 10 == 9) ? 1 : 0)
					.executeAsync(key, options(Duration.ofSeconds(30), Duration.ofSeconds(30), true),
							() -> CompletableFuture.supplyAsync(() -> n)));
			}
			CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
		}
	}

	@Test
	void thousandsOfAsyncWaitersOccupyNoThreadAndAreAllServed() throws Exception {
		LockKey key = key("many-waiters");
		int callers = 2000;
		Lease holder = holdElsewhere(key, Duration.ofSeconds(60));
		int threadsBefore = libraryThreads();
		AtomicInteger served = new AtomicInteger();
		List<CompletableFuture<Void>> results = new ArrayList<>();
		for (int i = 0; i < callers; i++) {
			results.add(this.template.executeAsync(key, options(Duration.ofMinutes(2), Duration.ofSeconds(30), true),
					() -> {
						served.incrementAndGet();
						return CompletableFuture.completedFuture(null);
					}));
		}
		Thread.sleep(500);
		assertThat(served.get()).isZero();
		assertThat(libraryThreads() - threadsBefore).as("library threads started for %d waiters", callers)
			.isLessThanOrEqualTo(4);
		holder.close();
		CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
		assertThat(served.get()).isEqualTo(callers);
	}

	/**
	 * Acquire a lock through the template on another thread, so that this thread's
	 * sections do not reenter it.
	 */
	private Lease holdElsewhere(LockKey key, Duration lease) {
		return CompletableFuture.supplyAsync(() -> this.template.acquire(key, options(Duration.ZERO, lease, true)))
			.join();
	}

	protected static int libraryThreads() {
		return (int) Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith("distributed-lock-"))
			.count();
	}

	@Test
	void asyncWaitEndsWithNotAcquiredAfterTheWaitTime() {
		LockKey key = key("async-timeout");
		assertThat(acquire(this.store, key, "holder", Duration.ofSeconds(30))).isPresent();
		long start = System.nanoTime();
		CompletableFuture<String> result = this.template.executeAsync(key,
				options(Duration.ofMillis(400), Duration.ofSeconds(30), false),
				() -> CompletableFuture.completedFuture("never"));
		assertThat(result).failsWithin(Duration.ofSeconds(10))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(LockNotAcquiredException.class);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(380));
		release(this.store, key, "holder");
	}

	@Test
	void cancellingAnAsyncWaitLeavesNoLockBehind() throws Exception {
		LockKey key = key("async-cancel");
		Lease holder = holdElsewhere(key, Duration.ofSeconds(30));
		AtomicInteger ran = new AtomicInteger();
		CompletableFuture<String> result = this.template.executeAsync(key,
				options(Duration.ofSeconds(30), Duration.ofSeconds(30), false), () -> {
					ran.incrementAndGet();
					return CompletableFuture.completedFuture("never");
				});
		Thread.sleep(200);
		result.cancel(false);
		holder.close();
		Thread.sleep(300);
		assertThat(ran.get()).isZero();
		assertThat(acquire(this.store, key, "next", Duration.ofSeconds(30))).as("nobody holds it").isPresent();
		release(this.store, key, "next");
	}

	@Test
	void asyncLostLeaseFailsTheResultUnderThrow() {
		LockTemplate throwing = template(this.store,
				LockSettings.builder().leaseLostPolicy(LeaseLostPolicy.THROW).build());
		LockKey key = key("async-lost");
		CompletableFuture<String> work = new CompletableFuture<>();
		CompletableFuture<String> result = throwing.executeAsync(key,
				options(Duration.ZERO, Duration.ofMillis(900), true), () -> work);
		await().atMost(Duration.ofSeconds(5)).until(() -> throwing.heldLocks().size() == 1);
		assertThat(forceRelease(this.store, key)).isTrue();
		assertThat(result).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(LockLostException.class);
		work.complete("late");
	}

	@Test
	void sectionReturningNullInsteadOfAStageFailsAndReleases() {
		LockKey key = key("async-null");
		CompletableFuture<String> result = this.template.executeAsync(key, LockOptions.defaults(), () -> null);
		assertThat(result).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessageContaining("returned null");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> acquire(this.store, key, "next", Duration.ofSeconds(30)), Optional::isPresent);
		release(this.store, key, "next");
	}

	// Reactive

	@Test
	void monoRunsUnderTheLockAndSeesItsLease() {
		ReactiveLockTemplate reactive = new ReactiveLockTemplate(this.template);
		LockKey key = key("mono");
		String result = reactive.execute(key, options(Duration.ZERO, Duration.ofSeconds(30), true),
				ReactiveLockContext.currentLease().map((lease) -> {
					assertThat(acquire(this.store, key, "other", Duration.ofSeconds(30))).isEmpty();
					return "token " + lease.fencingToken();
				}))
			.block(Duration.ofSeconds(10));
		assertThat(result).startsWith("token ");
		assertThat(acquire(this.store, key, "other", Duration.ofSeconds(30))).as("released").isPresent();
		release(this.store, key, "other");
	}

	@Test
	void reactiveSubscribersAreExcludedAndEachSubscriptionAcquires() {
		ReactiveLockTemplate reactive = new ReactiveLockTemplate(this.template);
		LockKey key = key("flux-exclusion");
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger maxInside = new AtomicInteger();
		Mono<Integer> locked = reactive.execute(key, options(Duration.ofSeconds(60), Duration.ofSeconds(30), true),
				Mono.fromCallable(() -> {
					maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
					return 1;
				}).delayElement(Duration.ofMillis(2)).doOnNext((value) -> inside.decrementAndGet()));
		Integer total = Flux.range(0, 40)
			.flatMap((i) -> locked.subscribeOn(Schedulers.parallel()), 16)
			.reduce(0, Integer::sum)
			.block(Duration.ofMinutes(2));
		assertThat(total).isEqualTo(40);
		assertThat(maxInside.get()).isEqualTo(1);
	}

	@Test
	void reactiveNotAcquiredIsAnErrorOrEmptyWithTryExecute() {
		ReactiveLockTemplate reactive = new ReactiveLockTemplate(this.template);
		LockKey key = key("reactive-held");
		assertThat(acquire(this.store, key, "holder", Duration.ofSeconds(30))).isPresent();
		AtomicInteger subscribed = new AtomicInteger();
		Mono<String> work = Mono.fromCallable(() -> {
			subscribed.incrementAndGet();
			return "never";
		});
		assertThatExceptionOfType(LockNotAcquiredException.class)
			.isThrownBy(() -> reactive.execute(key, LockOptions.defaults(), work).block(Duration.ofSeconds(10)));
		assertThat(reactive.tryExecute(key, LockOptions.defaults(), work).block(Duration.ofSeconds(10))).isNull();
		assertThat(subscribed.get()).isZero();
		release(this.store, key, "holder");
	}

	@Test
	void cancellingWhileWaitingAndWhileHoldingReleasesExactlyOnce() throws Exception {
		ReactiveLockTemplate reactive = new ReactiveLockTemplate(this.template);
		LockKey key = key("reactive-cancel");
		FaultyLockStore counting = new FaultyLockStore(this.store);
		LockTemplate countingTemplate = template(counting, LockSettings.defaults());
		ReactiveLockTemplate countingReactive = new ReactiveLockTemplate(countingTemplate);
		// Cancel while holding: the never-ending flux keeps the lock until disposed.
		var holding = countingReactive.execute(key, options(Duration.ZERO, Duration.ofSeconds(30), true), Flux.never())
			.subscribe();
		await().atMost(Duration.ofSeconds(5)).until(() -> countingTemplate.heldLocks().size() == 1);
		// Cancel while waiting.
		var waiting = reactive.execute(key, options(Duration.ofSeconds(30), Duration.ofSeconds(30), true), Mono.just(1))
			.subscribe();
		Thread.sleep(300);
		waiting.dispose();
		holding.dispose();
		await().atMost(Duration.ofSeconds(5)).until(() -> counting.releaseCalls() == 1);
		Thread.sleep(300);
		assertThat(counting.releaseCalls()).as("releases of the cancelled holder").isEqualTo(1);
		assertThat(acquire(this.store, key, "next", Duration.ofSeconds(30))).as("nobody holds it").isPresent();
		release(this.store, key, "next");
	}

	@Test
	void aSubscriberThatNeverRequestsHoldsTheLockUntilItCancels() {
		ReactiveLockTemplate reactive = new ReactiveLockTemplate(this.template);
		LockKey key = key("no-demand");
		BaseSubscriber<Integer> lazy = new BaseSubscriber<>() {
			@Override
			protected void hookOnSubscribe(Subscription subscription) {
			}
		};
		reactive.execute(key, options(Duration.ZERO, Duration.ofSeconds(30), true), Flux.range(0, 10)).subscribe(lazy);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.template.heldLocks().size() == 1);
		lazy.cancel();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.template.heldLocks().isEmpty());
		await().atMost(Duration.ofSeconds(5))
			.until(() -> acquire(this.store, key, "next", Duration.ofSeconds(30)), Optional::isPresent);
		release(this.store, key, "next");
	}

	@Test
	void aPublisherThatFailsBeforeItsFirstElementReleases() {
		ReactiveLockTemplate reactive = new ReactiveLockTemplate(this.template);
		LockKey key = key("reactive-error");
		IllegalStateException failure = new IllegalStateException("boom");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> reactive.execute(key, LockOptions.defaults(), Flux.<String>error(failure))
				.blockLast(Duration.ofSeconds(10)))
			.isSameAs(failure);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> acquire(this.store, key, "next", Duration.ofSeconds(30)), Optional::isPresent);
		release(this.store, key, "next");
	}

	@Test
	void reactiveLockReentersInTheSameContext() {
		ReactiveLockTemplate reactive = new ReactiveLockTemplate(this.template);
		LockKey key = key("reactive-reentrant");
		Function<Lease, Mono<Long>> inner = (outer) -> reactive.execute(key, LockOptions.defaults(),
				ReactiveLockContext.currentLease().map(Lease::fencingToken));
		Long token = reactive
			.execute(key, LockOptions.defaults(),
					ReactiveLockContext.currentLease()
						.flatMap((outer) -> inner.apply(outer)
							.doOnNext((innerToken) -> assertThat(innerToken).isEqualTo(outer.fencingToken()))))
			.block(Duration.ofSeconds(10));
		assertThat(token).isPositive();
	}

	@Test
	void reactiveLostLeaseCancelsThePublisherAndFailsUnderThrow() {
		LockTemplate throwing = template(this.store,
				LockSettings.builder().leaseLostPolicy(LeaseLostPolicy.THROW).build());
		ReactiveLockTemplate reactive = new ReactiveLockTemplate(throwing);
		LockKey key = key("reactive-lost");
		AtomicInteger cancelled = new AtomicInteger();
		Mono<Object> result = reactive.execute(key, options(Duration.ZERO, Duration.ofMillis(900), true),
				Mono.never().doOnCancel(cancelled::incrementAndGet));
		CompletableFuture<Object> future = result.toFuture();
		await().atMost(Duration.ofSeconds(5)).until(() -> throwing.heldLocks().size() == 1);
		assertThat(forceRelease(this.store, key)).isTrue();
		assertThat(future).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(LockLostException.class);
		assertThat(cancelled.get()).isEqualTo(1);
	}

}
