package dev.distlock.benchmarks.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Renders the results as Markdown tables: each result with its ratio to the floor and to
 * each peer on the same store, then the targets with what was measured against them.
 *
 * @author Distributed Lock team
 */
public final class Report {

	private Report() {
	}

	/**
	 * Render every store's tables and the targets.
	 * @param runs the stores' results
	 * @param settings the settings they were measured with
	 * @return the Markdown text
	 */
	public static String render(List<StoreRun> runs, BenchSettings settings) {
		StringBuilder out = new StringBuilder();
		for (StoreRun run : runs) {
			out.append("#### ").append(run.store().title());
			if (run.serverVersion() != null) {
				out.append(" ").append(run.serverVersion());
			}
			out.append("\n\n");
			if (run.skipped() != null) {
				out.append("Not measured: ").append(run.skipped()).append("\n\n");
				continue;
			}
			for (Scenario scenario : run.scenarios()) {
				out.append("##### ").append(scenario.title()).append("\n\n");
				switch (scenario.kind()) {
					case UNCONTENDED -> uncontended(out, run, scenario, ratioColumns(run, scenario));
					case CONTENDED -> contended(out, run, scenario, settings);
					case HANDOFF -> handoff(out, run, scenario);
					case IDLE_SUBSCRIBERS -> idleSubscribers(out, run, scenario);
					case RENEWAL -> renewal(out, run, scenario, settings);
					case WAITERS -> waiters(out, run, scenario, settings);
					// Blocking and non-blocking side by side: every one is a column.
					case ASYNC_UNCONTENDED -> uncontended(out, run, scenario, run.contenders(scenario));
				}
				out.append('\n');
			}
		}
		Targets.render(out, runs);
		return out.toString();
	}

	private static void uncontended(StringBuilder out, StoreRun run, Scenario scenario, List<Contender> columns) {
		List<String> header = new ArrayList<>(List.of("contender", "ops/s", "p50 µs", "p99 µs"));
		columns.forEach((column) -> header.add("× " + column.shortName()));
		row(out, header);
		separator(out, header.size());
		for (Contender contender : run.contenders(scenario)) {
			CellResult result = run.result(scenario, contender);
			List<String> cells = new ArrayList<>(List.of(contender.name()));
			if (result == null || result.error() != null) {
				cells.add(failure(result));
				fill(cells, header.size());
			}
			else {
				cells.add(opsPerSecond(result));
				cells.add(micros(result.latency(), 50));
				cells.add(micros(result.latency(), 99));
				ratios(cells, run, scenario, contender, columns);
			}
			row(out, cells);
		}
		notAcquiredNote(out, run, scenario);
	}

	private static void contended(StringBuilder out, StoreRun run, Scenario scenario, BenchSettings settings) {
		List<Contender> columns = ratioColumns(run, scenario);
		List<String> header = new ArrayList<>(List.of("contender", "waits by", "ops/s"));
		columns.forEach((column) -> header.add("× " + column.shortName()));
		header.addAll(List.of("holder changes", "longest wait ms", "p99 wait ms", "mean hold ms",
				"longest wait ÷ mean hold", "hand-off to other node p50 / p99 ms", "overlaps",
				"not acquired in " + Scenarios.CONTENDED_WAIT.toSeconds() + " s"));
		row(out, header);
		separator(out, header.size());
		for (Contender contender : run.contenders(scenario)) {
			CellResult result = run.result(scenario, contender);
			List<String> cells = new ArrayList<>(List.of(contender.name(), contender.waiting()));
			if (result == null || result.error() != null) {
				cells.add(failure(result));
				fill(cells, header.size());
			}
			else {
				cells.add(opsPerSecond(result));
				ratios(cells, run, scenario, contender, columns);
				cells.add(percent(result.holderChanges(), result.operations()));
				boolean waited = result.waits().getTotalCount() > 0;
				cells.add(waited ? format("%.3f", result.waits().getMaxValue() / 1e6) : "–");
				cells.add(waited ? millis(result.waits(), 99) : "–");
				cells.add(waited ? format("%.3f", result.holds().getMean() / 1e6) : "–");
				cells.add(waited ? format("%.1f", longestWaitPerHold(result)) : "–");
				cells.add((result.handoff().getTotalCount() > 0) ? millis(result.handoff(), 50) + " / "
						+ millis(result.handoff(), 99) + " (n=" + result.handoff().getTotalCount() + ")" : "–");
				cells.add(Long.toString(result.overlaps()));
				cells.add(Long.toString(result.notAcquired()));
			}
			row(out, cells);
		}
		out.append("\nA wait runs from the acquire call to holding the lock; a hold from holding it to the release "
				+ "call returning (the section, ")
			.append(settings.contendedHold().isZero() ? "empty" : "busy for " + duration(settings.contendedHold()))
			.append(", plus the release).\n");
	}

	/**
	 * Return the longest wait of a contended cell in multiples of its mean hold.
	 * @param result the cell
	 * @return the ratio, NaN if nothing was held
	 */
	static double longestWaitPerHold(CellResult result) {
		double hold = result.holds().getMean();
		return (hold > 0) ? result.waits().getMaxValue() / hold : Double.NaN;
	}

	private static void handoff(StringBuilder out, StoreRun run, Scenario scenario) {
		List<String> header = List.of("contender", "waits by", "hand-offs", "mean ms", "p50 ms", "p99 ms", "max ms");
		row(out, header);
		separator(out, header.size());
		for (Contender contender : run.contenders(scenario)) {
			CellResult result = run.result(scenario, contender);
			List<String> cells = new ArrayList<>(List.of(contender.name(), contender.waiting()));
			if (result == null || result.error() != null) {
				cells.add(failure(result));
				fill(cells, header.size());
			}
			else {
				Histogram handoffs = result.handoff();
				cells.add(Long.toString(handoffs.getTotalCount()));
				cells.add(format("%.3f", handoffs.getMean() / 1e6));
				cells.add(millis(handoffs, 50));
				cells.add(millis(handoffs, 99));
				cells.add(format("%.3f", handoffs.getMaxValue() / 1e6));
			}
			row(out, cells);
		}
	}

	private static void idleSubscribers(StringBuilder out, StoreRun run, Scenario scenario) {
		List<String> header = List.of("contender", "waits by", "ops/s, 1 idle", "ops/s, " + scenario.count() + " idle",
				scenario.count() + " ÷ 1 (each round)", "p50 µs, 1 / " + scenario.count() + " idle");
		row(out, header);
		separator(out, header.size());
		for (Contender contender : run.contenders(scenario)) {
			CellResult result = run.result(scenario, contender);
			List<String> cells = new ArrayList<>(List.of(contender.name(), contender.waiting()));
			if (result == null || result.error() != null) {
				cells.add(failure(result));
				fill(cells, header.size());
			}
			else {
				cells.add(format("%,.0f", result.figure(Scenarios.IDLE_ONE)));
				cells.add(format("%,.0f", result.figure(Scenarios.IDLE_MANY)));
				cells.add(format("%.2f", result.figure(Scenarios.IDLE_RATIO)) + " ("
						+ rounds(result.figureRounds(Scenarios.IDLE_RATIO), "%.2f") + ")");
				cells.add(format("%.0f / %.0f", result.figure(Scenarios.IDLE_ONE_P50),
						result.figure(Scenarios.IDLE_MANY_P50)));
			}
			row(out, cells);
		}
		notAcquiredNote(out, run, scenario);
		out.append("\nOne node, one thread, one key; the other nodes each waited once for that key (a holder kept "
				+ "it while they all waited, then each took it in turn) and then sat idle, holding whatever "
				+ "subscription their library keeps. Both halves run back to back on the same connections.\n");
	}

	private static void renewal(StringBuilder out, StoreRun run, Scenario scenario, BenchSettings settings) {
		List<String> header = List.of("contender", "leases held", "acquired in s",
				"round trips per period per 100 leases", "server commands per period per 100 leases",
				"client CPU ms per period", "leases lost", "server background: round trips per period");
		row(out, header);
		separator(out, header.size());
		for (Contender contender : run.contenders(scenario)) {
			CellResult result = run.result(scenario, contender);
			List<String> cells = new ArrayList<>(List.of(contender.name()));
			if (result == null || result.error() != null) {
				cells.add(failure(result));
				fill(cells, header.size());
			}
			else {
				cells.add(format("%,.0f", result.figure(Scenarios.RENEWAL_HELD)));
				cells.add(format("%.1f", result.figure(Scenarios.RENEWAL_ACQUIRE_SECONDS)));
				cells.add(withRounds(result, Scenarios.RENEWAL_ROUND_TRIPS, "%.2f"));
				cells.add(withRounds(result, Scenarios.RENEWAL_COMMANDS, "%.2f"));
				cells.add(withRounds(result, Scenarios.RENEWAL_CPU, "%.1f"));
				cells.add(format("%.0f", result.figure(Scenarios.RENEWAL_LOST)));
				double background = result.figure(Scenarios.RENEWAL_BACKGROUND);
				cells.add(Double.isNaN(background) ? "–" : withRounds(result, Scenarios.RENEWAL_BACKGROUND, "%.0f"));
			}
			row(out, cells);
		}
		out.append("\nA renewal period is a third of the lease (")
			.append(duration(settings.renewal().period()))
			.append(" of ")
			.append(duration(settings.renewal().leaseTime()))
			.append("); the window starts one period after the last lock was acquired and lasts ")
			.append(settings.renewal().periods())
			.append((settings.renewal().periods() == 1) ? " period" : " periods")
			.append(". Round trips: ")
			.append((run.store() == Contender.Store.REDIS)
					? "script calls (EVALSHA, EVAL) counted by the server in INFO commandstats, server-wide: the "
							+ "last column is what the server counted in one period with no lock held, before the "
							+ "scenario, and should be near 0; server commands: every command the server ran but INFO, those run "
							+ "inside scripts included (a renewal script runs a GET and a PEXPIRE per lease)"
					: "statements and commits sent through the store's DataSource, counted in the client "
							+ "(pg_stat_statements would need the server preloaded with it)")
			.append(". Client CPU: the whole benchmark JVM's, from OperatingSystemMXBean.getProcessCpuTime. "
					+ "A lease still held at the end was renewed throughout: the window is longer than the lease.\n");
	}

	private static void waiters(StringBuilder out, StoreRun run, Scenario scenario, BenchSettings settings) {
		List<String> header = List.of("contender", "served", "not acquired", "failed", "overlaps", "all served in s",
				"served per s", "library threads (most at once)", "by name", "all threads before → most",
				"calls issued in ms");
		row(out, header);
		separator(out, header.size());
		for (Contender contender : run.contenders(scenario)) {
			CellResult result = run.result(scenario, contender);
			List<String> cells = new ArrayList<>(List.of(contender.name()));
			if (result == null || result.error() != null) {
				cells.add(failure(result));
				fill(cells, header.size());
			}
			else {
				double seconds = result.figure(Scenarios.WAITERS_SERVE_SECONDS);
				cells.add(format("%,d", result.operations()));
				cells.add(Long.toString(result.notAcquired()));
				cells.add(format("%,.0f", sum(result.figureRounds(Scenarios.WAITERS_FAILED))));
				cells.add(Long.toString(result.overlaps()));
				cells.add(Double.isNaN(seconds) ? "–" : withRounds(result, Scenarios.WAITERS_SERVE_SECONDS, "%.2f"));
				cells.add((seconds > 0) ? format("%,.0f", result.operations() / (double) roundCount(result) / seconds)
						: "–");
				cells.add(withRounds(result, Scenarios.WAITERS_LIBRARY_MAX, "%.0f"));
				cells.add(threadNames(result));
				cells.add(format("%.0f → %.0f", result.figure(Scenarios.WAITERS_ALL_BEFORE),
						result.figure(Scenarios.WAITERS_ALL_MAX)));
				cells.add(format("%.0f", result.figure(Scenarios.WAITERS_ISSUE_MILLIS)));
			}
			row(out, cells);
		}
		for (Contender contender : run.contenders(scenario)) {
			CellResult result = run.result(scenario, contender);
			if (result != null) {
				result.notes()
					.forEach((
							note) -> out.append("\n").append(contender.name()).append(": ").append(note).append(".\n"));
			}
		}
		out.append("\nOne node. A holder takes the key; then every caller asks for it at once and waits (for up to ")
			.append(duration(settings.waiters().waitTime()))
			.append("); ")
			.append(Scenarios.WAITERS_SETTLE.toMillis())
			.append(" ms later the holder releases, and each caller holds the lock for ")
			.append(duration(settings.waiters().hold()))
			.append(" (busy, on the thread that runs its section). Threads are sampled every 10 ms from the first "
					+ "call to the last caller served; library threads are those named distributed-lock-*. "
					+ "\"All served in\" runs from the holder's release to the last caller served.\n");
	}

	private static String threadNames(CellResult result) {
		if (result.libraryThreads().isEmpty()) {
			return "–";
		}
		List<String> names = new ArrayList<>();
		result.libraryThreads().forEach((name, count) -> names.add(count + "× " + name));
		return String.join(", ", names);
	}

	private static double sum(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).sum();
	}

	private static int roundCount(CellResult result) {
		return Math.max(1, result.figureRounds(Scenarios.WAITERS_SERVE_SECONDS).size());
	}

	private static String withRounds(CellResult result, String figure, String format) {
		List<Double> values = result.figureRounds(figure);
		String median = format(format, result.figure(figure));
		return (values.size() > 1) ? median + " (" + rounds(values, format) + ")" : median;
	}

	/**
	 * Render values of each round, in order, such as {@code 0.97 / 0.99}.
	 * @param values the values
	 * @param format the format of one value
	 * @return the text
	 */
	static String rounds(List<Double> values, String format) {
		List<String> formatted = new ArrayList<>();
		for (double value : values) {
			formatted.add(format(format, value));
		}
		return formatted.isEmpty() ? "–" : String.join(" / ", formatted);
	}

	private static List<Contender> ratioColumns(StoreRun run, Scenario scenario) {
		return run.contenders(scenario).stream().filter((c) -> c.role() != Contender.Role.OURS).toList();
	}

	private static void ratios(List<String> cells, StoreRun run, Scenario scenario, Contender contender,
			List<Contender> columns) {
		for (Contender column : columns) {
			if (column == contender) {
				cells.add("–");
				continue;
			}
			double ratio = ratio(run, scenario, contender, (c) -> c == column);
			cells.add(Double.isNaN(ratio) ? "?" : format("%.2f", ratio));
		}
	}

	/*
	 * The throughput of one contender divided by another's, or NaN if either is missing.
	 */
	static double ratio(StoreRun run, Scenario scenario, Contender contender, Predicate<Contender> other) {
		CellResult mine = run.result(scenario, contender);
		Contender versus = run.contenders(scenario).stream().filter(other).findFirst().orElse(null);
		CellResult theirs = (versus != null) ? run.result(scenario, versus) : null;
		if (mine == null || theirs == null || mine.error() != null || theirs.error() != null
				|| theirs.throughput() == 0) {
			return Double.NaN;
		}
		return mine.throughput() / theirs.throughput();
	}

	private static void notAcquiredNote(StringBuilder out, StoreRun run, Scenario scenario) {
		for (Contender contender : run.contenders(scenario)) {
			CellResult result = run.result(scenario, contender);
			if (result != null && result.notAcquired() > 0) {
				out.append("\n")
					.append(contender.name())
					.append(": ")
					.append(result.notAcquired())
					.append(" attempts on a free key were refused.\n");
			}
		}
	}

	static String failure(@Nullable CellResult result) {
		if (result == null) {
			return "not run";
		}
		return "failed: " + String.valueOf(result.error()).replace('|', '/');
	}

	private static void fill(List<String> cells, int size) {
		while (cells.size() < size) {
			cells.add("");
		}
	}

	static String opsPerSecond(CellResult result) {
		return format("%,.0f", result.throughput());
	}

	private static String micros(Histogram histogram, double percentile) {
		return format("%.0f", histogram.getValueAtPercentile(percentile) / 1e3);
	}

	static String millis(Histogram histogram, double percentile) {
		return format("%.3f", histogram.getValueAtPercentile(percentile) / 1e6);
	}

	static String percent(long part, long whole) {
		return (whole > 0) ? format("%.0f%%", 100.0 * part / whole) : "–";
	}

	private static void row(StringBuilder out, List<String> cells) {
		out.append("| ").append(String.join(" | ", cells)).append(" |\n");
	}

	private static void separator(StringBuilder out, int columns) {
		out.append("|---");
		out.append("|--:".repeat(columns - 1));
		out.append("|\n");
	}

	/**
	 * Render a duration as a reader would write it: {@code 100 µs}, {@code 3 s}.
	 * @param duration the duration
	 * @return the text
	 */
	static String duration(Duration duration) {
		long nanos = duration.toNanos();
		if (nanos % 1_000_000_000L == 0 && nanos >= 1_000_000_000L) {
			return (nanos / 1_000_000_000L) + " s";
		}
		if (nanos % 1_000_000L == 0 && nanos >= 1_000_000L) {
			return (nanos / 1_000_000L) + " ms";
		}
		return format("%.0f µs", nanos / 1e3);
	}

	static String format(String format, Object... values) {
		return String.format(Locale.ROOT, format, values);
	}

}
