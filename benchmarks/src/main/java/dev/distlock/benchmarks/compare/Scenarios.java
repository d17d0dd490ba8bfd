package dev.distlock.benchmarks.compare;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Runs one scenario for one contender: opens its nodes, warms up, measures, closes. All
 * times come from {@link System#nanoTime()}, one clock for every thread of the JVM.
 *
 * @author Distributed Lock team
 */
final class Scenarios {

	/** How long a contended acquire may wait before it counts as "not acquired". */
	static final Duration CONTENDED_WAIT = Duration.ofSeconds(5);

	/**
	 * Hand-offs not measured at the start, while connections and subscriptions are
	 * opened.
	 */
	private static final int HANDOFF_WARMUP = 10;

	/** How long the waiters scenario gives its callers to make their first attempt. */
	static final Duration WAITERS_SETTLE = Duration.ofSeconds(1);

	/** The threads that acquire the locks of the renewal scenario. */
	private static final int RENEWAL_THREADS = 8;

	/** The pause before each half of the idle-subscribers scenario. */
	private static final Duration IDLE_SETTLE = Duration.ofMillis(500);

	/** How long a node of the idle-subscribers scenario may take to wait once. */
	private static final Duration WAIT_ONCE_TIME = Duration.ofSeconds(30);

	// Figures of the scenarios, as CellResult records them.

	static final String IDLE_ONE = "ops/s, 1 idle";

	static final String IDLE_MANY = "ops/s, many idle";

	static final String IDLE_RATIO = "many / 1";

	static final String IDLE_ONE_P50 = "p50 µs, 1 idle";

	static final String IDLE_MANY_P50 = "p50 µs, many idle";

	static final String RENEWAL_HELD = "leases held";

	static final String RENEWAL_ACQUIRE_SECONDS = "acquire s";

	static final String RENEWAL_ROUND_TRIPS = "round trips per period per 100 leases";

	static final String RENEWAL_COMMANDS = "commands per period per 100 leases";

	static final String RENEWAL_CPU = "CPU ms per period";

	static final String RENEWAL_LOST = "leases lost";

	static final String RENEWAL_BACKGROUND = "background round trips per period";

	static final String WAITERS_ISSUE_MILLIS = "issue ms";

	static final String WAITERS_SERVE_SECONDS = "serve s";

	static final String WAITERS_LIBRARY_MAX = "library threads max";

	static final String WAITERS_LIBRARY_BEFORE = "library threads before";

	static final String WAITERS_ALL_MAX = "threads max";

	static final String WAITERS_ALL_BEFORE = "threads before";

	static final String WAITERS_FAILED = "failed";

	private static final Runnable NOTHING = () -> {
	};

	private final BenchSettings settings;

	Scenarios(BenchSettings settings) {
		this.settings = settings;
	}

	CellResult run(Contender contender, Scenario scenario) {
		CellResult result = new CellResult();
		try {
			switch (scenario.kind()) {
				case UNCONTENDED -> uncontended(contender, scenario.threads(), result);
				case CONTENDED -> contended(contender, scenario.threads(), result);
				case HANDOFF -> handoff(contender, result);
				case IDLE_SUBSCRIBERS -> idleSubscribers(contender, scenario.count(), result);
				case RENEWAL -> renewal(contender, result);
				case WAITERS -> waiters(contender, scenario.count(), result);
				case ASYNC_UNCONTENDED -> asyncUncontended(contender, scenario.threads(), result);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			result.fail(ex);
		}
		catch (Exception ex) {
			result.fail(ex);
		}
		return result;
	}

	/**
	 * Exercise a contender on one thread for a while, unmeasured, so that the JIT has
	 * compiled its client before any cell is measured.
	 * @param contender the contender
	 * @param duration how long
	 * @return what it failed with, or {@code null}
	 */
	@Nullable String warmUp(Contender contender, Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		try (LockClient client = contender.nodes().open()) {
			while (System.nanoTime() - end < 0) {
				if (client.isNonBlocking()) {
					client.runLockedAsync("warmup", Duration.ZERO, LockClient.NO_WORK).toCompletableFuture().join();
				}
				else {
					client.runLocked("warmup", Duration.ZERO, NOTHING);
				}
			}
			return null;
		}
		catch (Exception ex) {
			return ex.toString();
		}
	}

	/*
	 * Each thread acquires and releases its own key as fast as it can; the first {@code
	 * warmup} of it is not counted.
	 */
	private void uncontended(Contender contender, int threads, CellResult result) throws Exception {
		try (LockClient client = contender.nodes().open()) {
			cycles(client, threads, "u" + threads + "-", result);
		}
	}

	/*
	 * Measure acquire + release cycles of one node: each thread on its own key, named
	 * with the given prefix and the thread's index.
	 */
	private void cycles(LockClient client, int threads, String keyPrefix, CellResult result)
			throws InterruptedException {
		Window window = new Window(this.settings);
		List<CellResult> perThread = runThreads(threads, result, window, (index, own) -> {
			String key = keyPrefix + index;
			while (!window.stopped()) {
				long start = System.nanoTime();
				boolean acquired = client.runLocked(key, Duration.ZERO, NOTHING);
				long end = System.nanoTime();
				if (window.counts(start)) {
					if (acquired) {
						own.recordCycle(end - start);
					}
					else {
						own.countNotAcquired();
					}
				}
			}
		});
		perThread.forEach(result::add);
		result.addWindow(window.length());
		if (result.operations() == 0 && result.notAcquired() == 0) {
			// A ratio to nothing would read as infinitely faster.
			result.fail(new IllegalStateException("No cycle started within the measured window"));
		}
	}

	/*
	 * Threads on two nodes compete for one key, waiting up to {@link #CONTENDED_WAIT}.
	 * Inside the lock each thread checks that no other holder is inside (overlaps must be
	 * zero) and measures the hand-off when the previous holder was on the other node.
	 */
	private void contended(Contender contender, int threads, CellResult result) throws Exception {
		long holdNanos = this.settings.contendedHold().toNanos();
		try (LockClient first = contender.nodes().open(); LockClient second = contender.nodes().open()) {
			Window window = new Window(this.settings);
			AtomicInteger inside = new AtomicInteger();
			Holder holder = new Holder();
			List<CellResult> perThread = runThreads(threads, result, window, (index, own) -> {
				LockClient client = (index % 2 == 0) ? first : second;
				long[] acquiredAt = new long[1];
				while (!window.stopped()) {
					long start = System.nanoTime();
					boolean acquired = client.runLocked("contended", CONTENDED_WAIT, () -> {
						acquiredAt[0] = System.nanoTime();
						boolean measured = window.counts(start);
						if (inside.incrementAndGet() != 1) {
							own.countOverlap();
						}
						int previous = holder.thread;
						long releasedAt = holder.releaseStartedAt;
						if (measured) {
							own.countOperation();
							if (previous >= 0 && previous != index) {
								own.countHolderChange();
								if (previous % 2 != index % 2) {
									own.recordHandoff(acquiredAt[0] - releasedAt);
								}
							}
						}
						holder.thread = index;
						spin(holdNanos);
						inside.decrementAndGet();
						holder.releaseStartedAt = System.nanoTime();
					});
					long end = System.nanoTime();
					if (acquired && window.counts(start)) {
						own.recordWaitAndHold(acquiredAt[0] - start, end - acquiredAt[0]);
					}
					if (!acquired && window.counts(start)) {
						own.countNotAcquired();
					}
				}
			});
			perThread.forEach(result::add);
			result.addWindow(window.length());
		}
	}

	/*
	 * Two nodes take turns: the holder asks the other node to start waiting, gives it
	 * {@code bench.handoff-settle} to be waiting in the store, notes the time and
	 * releases; the waiter notes when its acquire returned. The first {@value
	 * #HANDOFF_WARMUP} turns are not measured; stops after {@code bench.handoffs}
	 * measured hand-offs or {@code bench.handoff-time}.
	 */
	private void handoff(Contender contender, CellResult result) throws Exception {
		long settleNanos = this.settings.handoffSettle().toNanos();
		long deadline = System.nanoTime() + this.settings.handoffTime().toNanos();
		int wanted = this.settings.handoffs();
		try (LockClient first = contender.nodes().open(); LockClient second = contender.nodes().open()) {
			// One unmeasured cycle on each node, so that connections and subscriptions
			// exist.
			first.runLocked("handoff", Duration.ZERO, NOTHING);
			second.runLocked("handoff", Duration.ZERO, NOTHING);
			Semaphore[] go = { new Semaphore(0), new Semaphore(0) };
			AtomicBoolean done = new AtomicBoolean();
			AtomicInteger turns = new AtomicInteger();
			Holder holder = new Holder();
			List<CellResult> perThread = runThreads(2, result, null, (index, own) -> {
				LockClient client = (index == 0) ? first : second;
				boolean firstTurn = index == 0;
				while (true) {
					if (!firstTurn) {
						while (!go[index].tryAcquire(20, TimeUnit.MILLISECONDS)) {
							if (done.get()) {
								return;
							}
						}
					}
					if (done.get()) {
						return;
					}
					boolean hadTurn = firstTurn;
					firstTurn = false;
					boolean acquired = client.runLocked("handoff", CONTENDED_WAIT, () -> {
						long acquiredAt = System.nanoTime();
						int turn = turns.incrementAndGet();
						if (turn > HANDOFF_WARMUP + wanted || acquiredAt - deadline > 0) {
							done.set(true);
							return;
						}
						if (!hadTurn && turn > HANDOFF_WARMUP) {
							own.recordHandoff(acquiredAt - holder.releaseStartedAt);
							own.countOperation();
						}
						go[1 - index].release();
						LockSupport.parkNanos(settleNanos);
						holder.releaseStartedAt = System.nanoTime();
					});
					if (!acquired) {
						done.set(true);
						throw new IllegalStateException("The waiter did not get the lock within " + CONTENDED_WAIT);
					}
				}
			});
			perThread.forEach(result::add);
		}
	}

	/*
	 * One node cycles on one key while 1, then {@code idleNodes}, other nodes of the same
	 * contender sit idle after each waited once for that key (so each holds whatever
	 * subscription its library keeps after a wait). Both halves run back to back in one
	 * cell, on the same connections, so that their ratio is not moved by drift between
	 * cells.
	 */
	private void idleSubscribers(Contender contender, int idleNodes, CellResult result) throws Exception {
		String keyPrefix = "idle";
		String key = keyPrefix + "0";
		try (LockClient measured = contender.nodes().open()) {
			List<LockClient> idle = openAll(contender, idleNodes);
			try {
				waitOnce(measured, idle.subList(0, 1), key);
				settle();
				CellResult one = new CellResult();
				cycles(measured, 1, keyPrefix, one);
				waitOnce(measured, idle.subList(1, idle.size()), key);
				settle();
				CellResult many = new CellResult();
				cycles(measured, 1, keyPrefix, many);
				for (CellResult half : List.of(one, many)) {
					if (half.error() != null) {
						result.add(half);
						return;
					}
				}
				for (long i = 0; i < one.notAcquired(); i++) {
					result.countNotAcquired();
				}
				result.recordFigure(IDLE_ONE, one.throughput());
				result.recordFigure(IDLE_MANY, many.throughput());
				result.recordFigure(IDLE_RATIO, (one.throughput() > 0) ? many.throughput() / one.throughput() : 0);
				result.recordFigure(IDLE_ONE_P50, one.latency().getValueAtPercentile(50) / 1e3);
				result.recordFigure(IDLE_MANY_P50, many.latency().getValueAtPercentile(50) / 1e3);
				many.latency().reset();
				result.add(many);
			}
			finally {
				closeAll(idle);
			}
		}
	}

	/**
	 * Let the work of opening nodes and waiting (garbage, connection set-up) end before a
	 * half is measured, so that it burdens neither half.
	 */
	private static void settle() throws InterruptedException {
		System.gc();
		Thread.sleep(IDLE_SETTLE.toMillis());
	}

	/*
	 * Make each of the given nodes wait once for a key that {@code holder} holds, then
	 * let them take it in turn.
	 */
	private void waitOnce(LockClient holder, List<LockClient> waiters, String key) throws Exception {
		if (waiters.isEmpty()) {
			return;
		}
		LockClient.Held held = holder.tryAcquire(key, Duration.ZERO);
		if (held == null) {
			throw new IllegalStateException("Lock '" + key + "' was not free before the idle nodes waited for it");
		}
		AtomicInteger acquired = new AtomicInteger();
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		List<Thread> threads = new ArrayList<>();
		for (LockClient waiter : waiters) {
			Thread thread = new Thread(() -> {
				try {
					LockClient.Held mine = waiter.tryAcquire(key, WAIT_ONCE_TIME);
					if (mine != null) {
						acquired.incrementAndGet();
						mine.release();
					}
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}, "bench-wait-once");
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
		// Every waiter is waiting (and subscribed) well before this.
		Thread.sleep(200 + 10L * waiters.size());
		held.release();
		for (Thread thread : threads) {
			thread.join(WAIT_ONCE_TIME.toMillis() + 5000);
		}
		Throwable thrown = failure.get();
		if (thrown != null) {
			throw new IllegalStateException("An idle node failed to wait once: " + thrown, thrown);
		}
		if (acquired.get() != waiters.size()) {
			throw new IllegalStateException(
					"Only " + acquired.get() + " of " + waiters.size() + " idle nodes got the lock they waited for");
		}
	}

	/*
	 * One node takes {@code bench.renewal.leases} locks with automatic renewal and holds
	 * them: after one renewal period (so that every lease has been renewed once), the
	 * store round trips and the JVM's CPU time are read over {@code
	 * bench.renewal.periods} periods. Leases that are no longer held at the end count as
	 * lost.
	 */
	private void renewal(Contender contender, CellResult result) throws Exception {
		BenchSettings.Renewal renewal = this.settings.renewal();
		try (LockClient client = contender.nodes().open()) {
			RoundTripCounter counter = client.roundTrips();
			if (counter == null) {
				throw new IllegalStateException(contender.name() + " cannot count its round trips");
			}
			try (counter) {
				if (counter.isServerWide()) {
					// What the server counts with no lock held: other clients of the same
					// server, which this scenario's figures include.
					RoundTripCounter.Counts before = counter.read();
					TimeUnit.NANOSECONDS.sleep(renewal.period().toNanos());
					result.recordFigure(RENEWAL_BACKGROUND, counter.read().since(before).roundTrips());
				}
				CountDownLatch acquired = new CountDownLatch(RENEWAL_THREADS);
				CountDownLatch release = new CountDownLatch(1);
				AtomicInteger held = new AtomicInteger();
				AtomicInteger lost = new AtomicInteger();
				RenewalWindow window = new RenewalWindow(renewal, counter);
				Thread timer = new Thread(() -> window.measure(acquired, release), "bench-renewal-window");
				timer.setDaemon(true);
				timer.start();
				List<CellResult> perThread = runThreads(RENEWAL_THREADS, result, null, (index, own) -> {
					List<LockClient.Held> mine = new ArrayList<>();
					try {
						for (int i = index; i < renewal.leases(); i += RENEWAL_THREADS) {
							LockClient.Held lock = client.tryAcquireRenewing("renew-" + i);
							if (lock == null) {
								own.countNotAcquired();
							}
							else {
								mine.add(lock);
								held.incrementAndGet();
							}
						}
					}
					finally {
						acquired.countDown();
					}
					release.await();
					for (LockClient.Held lock : mine) {
						boolean stillHeld = !Boolean.FALSE.equals(lock.isHeld());
						try {
							lock.release();
						}
						catch (Exception ex) {
							stillHeld = false;
						}
						if (!stillHeld) {
							lost.incrementAndGet();
						}
					}
				}, Duration.ofMinutes(10));
				timer.join();
				perThread.forEach(result::add);
				window.record(result, held.get(), lost.get());
			}
		}
	}

	private static long processCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		throw new IllegalStateException("This JVM does not report its CPU time");
	}

	/*
	 * One node: a holder takes the key, then {@code callers} callers ask for it at once
	 * through the client's non-blocking API and wait; after {@link #WAITERS_SETTLE} the
	 * holder releases and the callers are served one after another, each holding the lock
	 * for {@code bench.waiters.hold}. The live threads are sampled from the first call to
	 * the last caller served.
	 */
	private void waiters(Contender contender, int callers, CellResult result) throws Exception {
		BenchSettings.Waiters waiters = this.settings.waiters();
		long holdNanos = waiters.hold().toNanos();
		String key = "waiters";
		try (LockClient client = contender.nodes().open()) {
			// One unmeasured cycle, so that connections and subscriptions exist.
			await(client.runLockedAsync(key, Duration.ZERO, LockClient.NO_WORK).toCompletableFuture(),
					Duration.ofSeconds(30), "a first cycle");
			CompletableFuture<@Nullable Void> holding = new CompletableFuture<>();
			CompletableFuture<@Nullable Void> releaseHolder = new CompletableFuture<>();
			CompletableFuture<Boolean> holder = client.runLockedAsync(key, Duration.ZERO, () -> {
				holding.complete(null);
				return releaseHolder;
			}).toCompletableFuture();
			await(holding, Duration.ofSeconds(30), "the holder's acquire");
			result.recordFigure(WAITERS_ALL_BEFORE, ThreadCensus.liveNow(null));
			result.recordFigure(WAITERS_LIBRARY_BEFORE, ThreadCensus.liveNow(ThreadCensus.LIBRARY_PREFIX));
			AtomicInteger inside = new AtomicInteger();
			AtomicLong overlaps = new AtomicLong();
			AtomicLong served = new AtomicLong();
			AtomicLong notAcquired = new AtomicLong();
			AtomicLong failed = new AtomicLong();
			AtomicLong lastServedAt = new AtomicLong();
			AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
			Supplier<CompletableFuture<@Nullable Void>> section = () -> {
				if (inside.incrementAndGet() != 1) {
					overlaps.incrementAndGet();
				}
				spin(holdNanos);
				inside.decrementAndGet();
				return CompletableFuture.completedFuture(null);
			};
			CompletableFuture<?>[] calls = new CompletableFuture<?>[callers];
			ThreadCensus census = new ThreadCensus(10);
			try {
				long issueStart = System.nanoTime();
				for (int i = 0; i < callers; i++) {
					calls[i] = client.runLockedAsync(key, waiters.waitTime(), section)
						.toCompletableFuture()
						.whenComplete((ran, thrown) -> {
							if (thrown != null) {
								failed.incrementAndGet();
								failure.compareAndSet(null, thrown);
							}
							else if (ran) {
								served.incrementAndGet();
								lastServedAt.accumulateAndGet(System.nanoTime(), Math::max);
							}
							else {
								notAcquired.incrementAndGet();
							}
						});
				}
				result.recordFigure(WAITERS_ISSUE_MILLIS, (System.nanoTime() - issueStart) / 1e6);
				TimeUnit.NANOSECONDS.sleep(WAITERS_SETTLE.toNanos());
				if (served.get() > 0) {
					throw new IllegalStateException(
							served.get() + " callers were served while the holder held the lock");
				}
				long releasedAt = System.nanoTime();
				releaseHolder.complete(null);
				await(holder, Duration.ofSeconds(30), "the holder's release");
				try {
					CompletableFuture.allOf(calls).get(waiters.waitTime().toMillis() + 30_000, TimeUnit.MILLISECONDS);
				}
				catch (TimeoutException ex) {
					throw new IllegalStateException(
							served.get() + " of " + callers + " callers served before they should have given up", ex);
				}
				catch (java.util.concurrent.ExecutionException ex) {
					// Counted below, from the first failure.
				}
				census.stop();
				if (served.get() > 0) {
					result.recordFigure(WAITERS_SERVE_SECONDS, (lastServedAt.get() - releasedAt) / 1e9);
				}
				result.recordFigure(WAITERS_LIBRARY_MAX, census.maxLibrary());
				result.recordFigure(WAITERS_ALL_MAX, census.maxAll());
				result.libraryThreads(census.libraryAtMax());
			}
			finally {
				census.close();
			}
			for (long i = 0; i < served.get(); i++) {
				result.countOperation();
			}
			for (long i = 0; i < notAcquired.get(); i++) {
				result.countNotAcquired();
			}
			for (long i = 0; i < overlaps.get(); i++) {
				result.countOverlap();
			}
			result.recordFigure(WAITERS_FAILED, failed.get());
			Throwable thrown = failure.get();
			if (thrown != null) {
				// Callers that failed are a result of this scenario, not a failure of the
				// harness: the cell keeps its figures and says why they failed.
				CellResult first = new CellResult();
				first.fail(AsyncSections.unwrap(thrown));
				result.note(String.format(Locale.ROOT, "%,d callers failed, the first with %s", failed.get(),
						first.error()));
			}
		}
	}

	private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) throws Exception {
		try {
			return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException(what + " did not complete within " + timeout.toSeconds() + " s", ex);
		}
	}

	/*
	 * Acquire + release cycles, each caller on its own key: a non-blocking client's
	 * callers are chains of pending completions (each starts its next cycle when the last
	 * completed, on whatever thread completed it); a blocking client's callers are
	 * threads, as in the uncontended scenario.
	 */
	private void asyncUncontended(Contender contender, int callers, CellResult result) throws Exception {
		String keyPrefix = "a" + callers + "-";
		try (LockClient client = contender.nodes().open()) {
			if (!client.isNonBlocking()) {
				cycles(client, callers, keyPrefix, result);
				return;
			}
			Window window = new Window(this.settings);
			CountDownLatch done = new CountDownLatch(callers);
			List<Chain> chains = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				chains.add(new Chain(client, keyPrefix + i, window, done));
			}
			window.begin();
			for (Chain chain : chains) {
				// A store that answers on the calling thread keeps a chain on the thread
				// that started it: each starts on its own, which ends once a cycle has to
				// wait for the store.
				Thread starter = new Thread(chain::next, "bench-caller-start");
				starter.setDaemon(true);
				starter.start();
			}
			window.run();
			if (!done.await(30, TimeUnit.SECONDS)) {
				result.fail(new IllegalStateException((done.getCount()) + " callers did not finish"));
			}
			chains.forEach((chain) -> result.add(chain.own));
			result.addWindow(window.length());
		}
	}

	private static void spin(long nanos) {
		if (nanos <= 0) {
			return;
		}
		long end = System.nanoTime() + nanos;
		while (System.nanoTime() - end < 0) {
			Thread.onSpinWait();
		}
	}

	private static List<LockClient> openAll(Contender contender, int count) throws Exception {
		ExecutorService opening = Executors.newFixedThreadPool(Math.min(count, 8));
		List<Future<LockClient>> futures = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				futures.add(opening.submit(() -> contender.nodes().open()));
			}
			List<LockClient> opened = new ArrayList<>();
			Exception failure = null;
			for (Future<LockClient> future : futures) {
				try {
					opened.add(future.get());
				}
				catch (java.util.concurrent.ExecutionException ex) {
					failure = (failure != null) ? failure : ex;
				}
			}
			if (failure != null) {
				closeAll(opened);
				throw new IllegalStateException("Could not open " + count + " nodes: " + failure.getCause(),
						failure.getCause());
			}
			return opened;
		}
		finally {
			opening.shutdown();
		}
	}

	private static void closeAll(List<LockClient> clients) {
		List<Thread> closing = new ArrayList<>();
		for (LockClient client : clients) {
			Thread thread = new Thread(client::close, "bench-close");
			thread.setDaemon(true);
			thread.start();
			closing.add(thread);
		}
		for (Thread thread : closing) {
			try {
				thread.join(30_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private List<CellResult> runThreads(int threads, CellResult result, @Nullable Window window, Worker worker)
			throws InterruptedException {
		return runThreads(threads, result, window, worker,
				this.settings.handoffTime().plus(this.settings.measure()).plusSeconds(30));
	}

	private List<CellResult> runThreads(int threads, CellResult result, @Nullable Window window, Worker worker,
			Duration joinWithin) throws InterruptedException {
		List<CellResult> perThread = new ArrayList<>(threads);
		List<Thread> started = new ArrayList<>(threads);
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		CyclicBarrier ready = new CyclicBarrier(threads + 1);
		for (int i = 0; i < threads; i++) {
			int index = i;
			CellResult own = new CellResult();
			perThread.add(own);
			Thread thread = new Thread(() -> {
				try {
					ready.await();
					worker.run(index, own);
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
					if (window != null) {
						window.stop();
					}
				}
			}, "bench-" + i);
			thread.setDaemon(true);
			started.add(thread);
			thread.start();
		}
		if (window != null) {
			window.begin();
		}
		try {
			ready.await();
		}
		catch (BrokenBarrierException ex) {
			throw new IllegalStateException(ex);
		}
		if (window != null) {
			window.run();
		}
		long joinDeadline = System.nanoTime() + joinWithin.toNanos();
		for (Thread thread : started) {
			thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
			if (thread.isAlive()) {
				result.fail(new IllegalStateException(thread.getName() + " did not finish"));
			}
		}
		Throwable thrown = failure.get();
		if (thrown != null) {
			result.fail(thrown);
		}
		return perThread;
	}

	/**
	 * The measured window of the renewal scenario, on a thread of its own: it starts one
	 * renewal period after the last lock was acquired and lasts
	 * {@code bench.renewal.periods} periods; then it lets the holders release.
	 */
	private static final class RenewalWindow {

		private final BenchSettings.Renewal renewal;

		private final RoundTripCounter counter;

		private final long acquireStart = System.nanoTime();

		private volatile long acquiredAt;

		private volatile long from;

		private volatile long to;

		private volatile long cpuNanos;

		private volatile RoundTripCounter.@Nullable Counts counted;

		private volatile @Nullable Throwable failure;

		RenewalWindow(BenchSettings.Renewal renewal, RoundTripCounter counter) {
			this.renewal = renewal;
			this.counter = counter;
		}

		void measure(CountDownLatch acquired, CountDownLatch release) {
			try {
				if (!acquired.await(5, TimeUnit.MINUTES)) {
					throw new IllegalStateException("The locks were not acquired within 5 minutes");
				}
				this.acquiredAt = System.nanoTime();
				long period = this.renewal.period().toNanos();
				TimeUnit.NANOSECONDS.sleep(period);
				RoundTripCounter.Counts first = this.counter.read();
				long cpu = processCpuNanos();
				this.from = System.nanoTime();
				TimeUnit.NANOSECONDS.sleep(period * this.renewal.periods());
				RoundTripCounter.Counts last = this.counter.read();
				this.cpuNanos = processCpuNanos() - cpu;
				this.to = System.nanoTime();
				this.counted = last.since(first);
			}
			catch (InterruptedException ex) {
				this.failure = ex;
				Thread.currentThread().interrupt();
			}
			catch (RuntimeException ex) {
				this.failure = ex;
			}
			finally {
				release.countDown();
			}
		}

		void record(CellResult result, int held, int lost) {
			RoundTripCounter.Counts counts = this.counted;
			Throwable thrown = this.failure;
			if (thrown != null) {
				result.fail(thrown);
				return;
			}
			if (counts == null || held == 0) {
				result.fail(new IllegalStateException("The renewal window was not measured"));
				return;
			}
			double periods = (this.to - this.from) / (double) this.renewal.period().toNanos();
			double hundreds = held / 100.0;
			result.recordFigure(RENEWAL_HELD, held);
			result.recordFigure(RENEWAL_ACQUIRE_SECONDS, (this.acquiredAt - this.acquireStart) / 1e9);
			result.recordFigure(RENEWAL_ROUND_TRIPS, counts.roundTrips() / periods / hundreds);
			result.recordFigure(RENEWAL_COMMANDS, counts.commands() / periods / hundreds);
			result.recordFigure(RENEWAL_CPU, this.cpuNanos / 1e6 / periods);
			result.recordFigure(RENEWAL_LOST, lost);
		}

	}

	/**
	 * One caller of the non-blocking scenario: a cycle, and when it completed the next,
	 * until the window stops. A cycle that completed at once continues in the loop rather
	 * than in a callback, so that a store answering on the calling thread never grows the
	 * stack.
	 */
	private static final class Chain {

		private final LockClient client;

		private final String key;

		private final Window window;

		private final CountDownLatch done;

		private final CellResult own = new CellResult();

		Chain(LockClient client, String key, Window window, CountDownLatch done) {
			this.client = client;
			this.key = key;
			this.window = window;
			this.done = done;
		}

		void next() {
			while (!this.window.stopped()) {
				long start = System.nanoTime();
				CompletableFuture<Boolean> cycle;
				try {
					cycle = this.client.runLockedAsync(this.key, Duration.ZERO, LockClient.NO_WORK)
						.toCompletableFuture();
				}
				catch (RuntimeException ex) {
					finish(ex);
					return;
				}
				if (!cycle.isDone()) {
					cycle.whenComplete((acquired, failure) -> {
						if (completed(start, acquired, failure)) {
							next();
						}
					});
					return;
				}
				Boolean acquired = null;
				Throwable failure = null;
				try {
					acquired = cycle.join();
				}
				catch (RuntimeException ex) {
					failure = ex;
				}
				if (!completed(start, acquired, failure)) {
					return;
				}
			}
			this.done.countDown();
		}

		private boolean completed(long start, @Nullable Boolean acquired, @Nullable Throwable failure) {
			long end = System.nanoTime();
			if (failure != null) {
				finish(failure);
				return false;
			}
			if (this.window.counts(start)) {
				if (Boolean.TRUE.equals(acquired)) {
					this.own.recordCycle(end - start);
				}
				else {
					this.own.countNotAcquired();
				}
			}
			return true;
		}

		private void finish(Throwable failure) {
			this.own.fail(failure);
			this.window.stop();
			this.done.countDown();
		}

	}

	/**
	 * The body of one thread.
	 */
	@FunctionalInterface
	private interface Worker {

		void run(int index, CellResult own) throws Exception;

	}

	/**
	 * The last holder of a contended lock and when it started to release it.
	 */
	private static final class Holder {

		volatile int thread = -1;

		volatile long releaseStartedAt;

	}

	/**
	 * The warm-up and measured window of one cell, from {@link #begin()} on. Cycles that
	 * start inside the measured window count; its length is what throughput divides by.
	 */
	private static final class Window {

		private final long warmupNanos;

		private final long measureNanos;

		private volatile long measureFrom;

		private volatile long end;

		private volatile long stoppedAt;

		private volatile boolean stopped;

		Window(BenchSettings settings) {
			this.warmupNanos = settings.warmup().toNanos();
			this.measureNanos = settings.measure().toNanos();
		}

		void begin() {
			this.measureFrom = System.nanoTime() + this.warmupNanos;
			this.end = this.measureFrom + this.measureNanos;
		}

		void run() throws InterruptedException {
			while (!this.stopped) {
				long left = this.end - System.nanoTime();
				if (left <= 0) {
					break;
				}
				TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
			}
			stop();
		}

		void stop() {
			if (!this.stopped) {
				this.stoppedAt = System.nanoTime();
				this.stopped = true;
			}
		}

		boolean stopped() {
			return this.stopped;
		}

		boolean counts(long start) {
			return start - this.measureFrom >= 0 && (!this.stopped || start - this.stoppedAt < 0);
		}

		long length() {
			return Math.max(0, this.stoppedAt - this.measureFrom);
		}

	}

}
