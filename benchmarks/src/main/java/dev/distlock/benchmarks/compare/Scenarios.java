package dev.distlock.benchmarks.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * Runs one scenario for one contender: opens its nodes, warms up, measures, closes. All
 * times come from {@link System#nanoTime()}, one clock for every thread of the JVM.
 */
final class Scenarios {

	/** How long a contended acquire may wait before it counts as "not acquired". */
	static final Duration CONTENDED_WAIT = Duration.ofSeconds(5);

	/**
	 * Hand-offs not measured at the start, while connections and subscriptions are
	 * opened.
	 */
	private static final int HANDOFF_WARMUP = 10;

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
				client.runLocked("warmup", Duration.ZERO, NOTHING);
			}
			return null;
		}
		catch (Exception ex) {
			return ex.toString();
		}
	}

	/**
	 * Each thread acquires and releases its own key as fast as it can; the first
	 * {@code warmup} of it is not counted.
	 */
	private void uncontended(Contender contender, int threads, CellResult result) throws Exception {
		try (LockClient client = contender.nodes().open()) {
			Window window = new Window(this.settings);
			List<CellResult> perThread = runThreads(threads, result, window, (index, own) -> {
				String key = "u" + threads + "-" + index;
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
		}
	}

	/**
	 * Threads on two nodes compete for one key, waiting up to {@link #CONTENDED_WAIT}.
	 * Inside the lock each thread checks that no other holder is inside (overlaps must be
	 * zero) and measures the hand-off when the previous holder was on the other node.
	 */
	private void contended(Contender contender, int threads, CellResult result) throws Exception {
		try (LockClient first = contender.nodes().open(); LockClient second = contender.nodes().open()) {
			Window window = new Window(this.settings);
			AtomicInteger inside = new AtomicInteger();
			Holder holder = new Holder();
			List<CellResult> perThread = runThreads(threads, result, window, (index, own) -> {
				LockClient client = (index % 2 == 0) ? first : second;
				while (!window.stopped()) {
					long start = System.nanoTime();
					boolean acquired = client.runLocked("contended", CONTENDED_WAIT, () -> {
						long acquiredAt = System.nanoTime();
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
									own.recordHandoff(acquiredAt - releasedAt);
								}
							}
						}
						holder.thread = index;
						inside.decrementAndGet();
						holder.releaseStartedAt = System.nanoTime();
					});
					if (!acquired && window.counts(start)) {
						own.countNotAcquired();
					}
				}
			});
			perThread.forEach(result::add);
			result.addWindow(window.length());
		}
	}

	/**
	 * Two nodes take turns: the holder asks the other node to start waiting, gives it
	 * {@code bench.handoff-settle} to be waiting in the store, notes the time and
	 * releases; the waiter notes when its acquire returned. The first
	 * {@value #HANDOFF_WARMUP} turns are not measured; stops after {@code bench.handoffs}
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

	private List<CellResult> runThreads(int threads, CellResult result, @Nullable Window window, Worker worker)
			throws InterruptedException {
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
		long joinDeadline = System.nanoTime() + this.settings.handoffTime().toNanos() + TimeUnit.SECONDS.toNanos(30);
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
