package dev.distlock.benchmarks.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * What one contender did in one scenario, summed over the rounds.
 *
 * @author Distributed Lock team
 */
public final class CellResult {

	private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

	private long operations;

	private long windowNanos;

	private long notAcquired;

	private long overlaps;

	private long holderChanges;

	private final Histogram latency = new Histogram(MAX_NANOS, 3);

	private final Histogram handoff = new Histogram(MAX_NANOS, 3);

	private final Histogram wait = new Histogram(MAX_NANOS, 3);

	private final Histogram hold = new Histogram(MAX_NANOS, 3);

	private final List<Double> roundThroughputs = new ArrayList<>();

	private final Map<String, List<Double>> figures = new LinkedHashMap<>();

	private final Map<String, Integer> libraryThreads = new TreeMap<>();

	private final List<String> notes = new ArrayList<>();

	private @Nullable String error;

	/**
	 * Count one completed operation and its latency.
	 * @param nanos the latency of the cycle
	 */
	public void recordCycle(long nanos) {
		this.operations++;
		this.latency.recordValue(Math.min(nanos, MAX_NANOS));
	}

	/**
	 * Count a completed operation whose latency is not of interest.
	 */
	public void countOperation() {
		this.operations++;
	}

	/**
	 * Record a hand-off from a holder on one node to a waiter on another.
	 * @param nanos from just before the release to the waiter's acquire returning
	 */
	public void recordHandoff(long nanos) {
		this.handoff.recordValue(Math.max(0, Math.min(nanos, MAX_NANOS)));
	}

	/**
	 * Record how long one acquisition waited for the lock and how long it held it.
	 * @param waitNanos from the start of the acquire call to holding the lock
	 * @param holdNanos from holding the lock to the release call returning
	 */
	public void recordWaitAndHold(long waitNanos, long holdNanos) {
		this.wait.recordValue(Math.max(0, Math.min(waitNanos, MAX_NANOS)));
		this.hold.recordValue(Math.max(0, Math.min(holdNanos, MAX_NANOS)));
	}

	/**
	 * Record a figure of a scenario in this round, such as the threads seen or the round
	 * trips counted. Figures of several rounds are kept side by side.
	 * @param name the figure's name
	 * @param value its value in this round
	 */
	public void recordFigure(String name, double value) {
		this.figures.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
	}

	/**
	 * Record the library's threads by name when the most of them were alive; several
	 * rounds keep the most of each name.
	 * @param threads names (numbers replaced by {@code N}) and counts
	 */
	public void libraryThreads(Map<String, Integer> threads) {
		threads.forEach((name, count) -> this.libraryThreads.merge(name, count, Math::max));
	}

	/**
	 * Return the library's threads by name, as recorded.
	 * @return names and counts
	 */
	public Map<String, Integer> libraryThreads() {
		return Collections.unmodifiableMap(this.libraryThreads);
	}

	/**
	 * Add a note for the reader about this cell, such as why some callers failed.
	 * @param note the note
	 */
	public void note(String note) {
		this.notes.add(note);
	}

	/**
	 * Return the notes of every round added.
	 * @return the notes
	 */
	public List<String> notes() {
		return Collections.unmodifiableList(this.notes);
	}

	/**
	 * Count an acquire that returned without the lock.
	 */
	public void countNotAcquired() {
		this.notAcquired++;
	}

	/**
	 * Count a time two holders held the lock at once.
	 */
	public void countOverlap() {
		this.overlaps++;
	}

	/**
	 * Count an acquisition by another thread than the last holder.
	 */
	public void countHolderChange() {
		this.holderChanges++;
	}

	/**
	 * Add the length of a measured window.
	 * @param nanos the window
	 */
	public void addWindow(long nanos) {
		this.windowNanos += nanos;
	}

	/**
	 * Remember that the contender failed.
	 * @param failure what it threw
	 */
	public void fail(Throwable failure) {
		if (this.error == null) {
			String message = failure.getMessage();
			this.error = failure.getClass().getSimpleName() + ((message != null) ? ": " + firstLine(message) : "");
		}
	}

	/**
	 * Add another result of the same contender and scenario.
	 * @param other the other result
	 */
	public void add(CellResult other) {
		if (!other.roundThroughputs.isEmpty()) {
			this.roundThroughputs.addAll(other.roundThroughputs);
		}
		else if (other.windowNanos > 0) {
			this.roundThroughputs.add(other.operations * 1e9 / other.windowNanos);
		}
		this.operations += other.operations;
		this.windowNanos += other.windowNanos;
		this.notAcquired += other.notAcquired;
		this.overlaps += other.overlaps;
		this.holderChanges += other.holderChanges;
		this.latency.add(other.latency);
		this.handoff.add(other.handoff);
		this.wait.add(other.wait);
		this.hold.add(other.hold);
		libraryThreads(other.libraryThreads);
		this.notes.addAll(other.notes);
		other.figures
			.forEach((name, values) -> this.figures.computeIfAbsent(name, (key) -> new ArrayList<>()).addAll(values));
		if (this.error == null) {
			this.error = other.error;
		}
	}

	/**
	 * Return the operations per second: the median of the rounds added, so that a burst
	 * of other work on the machine during one round moves it least, or over the measured
	 * windows of this result if it is one round.
	 * @return the throughput, zero if nothing was measured
	 */
	public double throughput() {
		if (!this.roundThroughputs.isEmpty()) {
			return median(this.roundThroughputs);
		}
		return (this.windowNanos > 0) ? this.operations * 1e9 / this.windowNanos : 0;
	}

	/**
	 * Return the throughput of each round added, in order.
	 * @return the throughputs, or this result's own if it is one round
	 */
	public List<Double> roundThroughputs() {
		if (!this.roundThroughputs.isEmpty()) {
			return List.copyOf(this.roundThroughputs);
		}
		return (this.windowNanos > 0) ? List.of(throughput()) : List.of();
	}

	/**
	 * Return a figure: the median of its rounds (the mean of two).
	 * @param name the figure's name
	 * @return the figure, or NaN if it was not recorded
	 */
	public double figure(String name) {
		List<Double> values = this.figures.get(name);
		return (values != null && !values.isEmpty()) ? median(values) : Double.NaN;
	}

	/**
	 * Return a figure's value in each round, in order.
	 * @param name the figure's name
	 * @return the values, empty if it was not recorded
	 */
	public List<Double> figureRounds(String name) {
		List<Double> values = this.figures.get(name);
		return (values != null) ? List.copyOf(values) : List.of();
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/**
	 * Return the operations counted.
	 * @return the operations
	 */
	public long operations() {
		return this.operations;
	}

	/**
	 * Return the acquires that returned without the lock.
	 * @return the count
	 */
	public long notAcquired() {
		return this.notAcquired;
	}

	/**
	 * Return the times two holders held the lock at once.
	 * @return the count
	 */
	public long overlaps() {
		return this.overlaps;
	}

	/**
	 * Return the acquisitions by another thread than the last holder.
	 * @return the count
	 */
	public long holderChanges() {
		return this.holderChanges;
	}

	/**
	 * Return the cycle latencies in nanoseconds.
	 * @return the histogram
	 */
	public Histogram latency() {
		return this.latency;
	}

	/**
	 * Return the hand-off latencies in nanoseconds.
	 * @return the histogram
	 */
	public Histogram handoff() {
		return this.handoff;
	}

	/**
	 * Return how long acquisitions waited for the lock, in nanoseconds.
	 * @return the histogram
	 */
	public Histogram waits() {
		return this.wait;
	}

	/**
	 * Return how long acquisitions held the lock, in nanoseconds.
	 * @return the histogram
	 */
	public Histogram holds() {
		return this.hold;
	}

	/**
	 * Return what the contender failed with, if it did.
	 * @return the failure, or {@code null}
	 */
	public @Nullable String error() {
		return this.error;
	}

	private static String firstLine(String message) {
		int end = message.indexOf('\n');
		return (end >= 0) ? message.substring(0, end) : message;
	}

}
