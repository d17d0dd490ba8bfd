package dev.distlock.benchmarks.compare;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * Samples the live threads of this JVM on a thread of its own while a scenario runs,
 * keeping the most seen at once: all of them, and those whose name says they are the
 * library's ({@value #LIBRARY_PREFIX} by default). Start it before the part to watch and
 * {@linkplain #stop() stop} it after.
 *
 * @author Distributed Lock team
 */
final class ThreadCensus implements AutoCloseable {

	static final String LIBRARY_PREFIX = "distributed-lock-";

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private final long intervalNanos;

	private final String libraryPrefix;

	private final Thread sampler;

	private volatile boolean running = true;

	private int maxAll;

	private int maxLibrary;

	private Map<String, Integer> libraryAtMax = Map.of();

	private int samples;

	/**
	 * Start sampling.
	 * @param intervalMillis the time between two samples
	 */
	ThreadCensus(long intervalMillis) {
		this(intervalMillis, LIBRARY_PREFIX);
	}

	/**
	 * Start sampling.
	 * @param intervalMillis the time between two samples
	 * @param libraryPrefix how the names of the library's threads start
	 */
	ThreadCensus(long intervalMillis, String libraryPrefix) {
		this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
		this.libraryPrefix = libraryPrefix;
		sample();
		this.sampler = new Thread(this::run, "bench-thread-census");
		this.sampler.setDaemon(true);
		this.sampler.start();
	}

	private void run() {
		while (this.running) {
			LockSupport.parkNanos(this.intervalNanos);
			sample();
		}
	}

	private synchronized void sample() {
		int all = 0;
		int library = 0;
		Map<String, Integer> named = new TreeMap<>();
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
			if (info == null || info.getThreadName().equals("bench-thread-census")) {
				continue;
			}
			all++;
			String name = info.getThreadName();
			if (name.startsWith(this.libraryPrefix)) {
				library++;
				named.merge(name.replaceFirst("-?\\d+$", "-N"), 1, Integer::sum);
			}
		}
		this.samples++;
		this.maxAll = Math.max(this.maxAll, all);
		if (library > this.maxLibrary) {
			this.maxLibrary = library;
			this.libraryAtMax = named;
		}
	}

	/**
	 * Take a last sample and stop.
	 * @return this census
	 */
	ThreadCensus stop() {
		this.running = false;
		this.sampler.interrupt();
		try {
			this.sampler.join(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		sample();
		return this;
	}

	/**
	 * Return the most live threads seen at once (this census's own not counted).
	 * @return the count
	 */
	synchronized int maxAll() {
		return this.maxAll;
	}

	/**
	 * Return the most live library threads seen at once.
	 * @return the count
	 */
	synchronized int maxLibrary() {
		return this.maxLibrary;
	}

	/**
	 * Return the library's threads by name (numbers replaced by {@code N}) in the sample
	 * that had the most of them.
	 * @return names and counts
	 */
	synchronized Map<String, Integer> libraryAtMax() {
		return this.libraryAtMax;
	}

	/**
	 * Return how many samples were taken.
	 * @return the count
	 */
	synchronized int samples() {
		return this.samples;
	}

	/**
	 * Return the live threads now, this census's own not counted.
	 * @param prefix count only threads whose name starts with it, or {@code null} for all
	 * @return the count
	 */
	static int liveNow(@Nullable String prefix) {
		int count = 0;
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
			if (info != null && !info.getThreadName().equals("bench-thread-census")
					&& (prefix == null || info.getThreadName().startsWith(prefix))) {
				count++;
			}
		}
		return count;
	}

	@Override
	public void close() {
		if (this.running) {
			stop();
		}
	}

}
