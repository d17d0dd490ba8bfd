package dev.distlock.benchmarks.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Renders the results as Markdown tables: each result with its ratio to the floor and to
 * each peer on the same store, then the targets with what was measured against them.
 */
public final class Report {

	private Report() {
	}

	/**
	 * Render every store's tables and the targets.
	 * @param runs the stores' results
	 * @return the Markdown text
	 */
	public static String render(List<StoreRun> runs) {
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
					case UNCONTENDED -> uncontended(out, run, scenario);
					case CONTENDED -> contended(out, run, scenario);
					case HANDOFF -> handoff(out, run, scenario);
				}
				out.append('\n');
			}
		}
		targets(out, runs);
		return out.toString();
	}

	private static void uncontended(StringBuilder out, StoreRun run, Scenario scenario) {
		List<Contender> columns = ratioColumns(run);
		List<String> header = new ArrayList<>(List.of("contender", "ops/s", "p50 µs", "p99 µs"));
		columns.forEach((column) -> header.add("× " + column.shortName()));
		row(out, header);
		separator(out, header.size());
		for (Contender contender : run.contenders()) {
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

	private static void contended(StringBuilder out, StoreRun run, Scenario scenario) {
		List<Contender> columns = ratioColumns(run);
		List<String> header = new ArrayList<>(List.of("contender", "waits by", "ops/s"));
		columns.forEach((column) -> header.add("× " + column.shortName()));
		header.addAll(List.of("holder changes", "hand-off to other node p50 / p99 ms", "overlaps",
				"not acquired in " + Scenarios.CONTENDED_WAIT.toSeconds() + " s"));
		row(out, header);
		separator(out, header.size());
		for (Contender contender : run.contenders()) {
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
				cells.add((result.handoff().getTotalCount() > 0) ? millis(result.handoff(), 50) + " / "
						+ millis(result.handoff(), 99) + " (n=" + result.handoff().getTotalCount() + ")" : "–");
				cells.add(Long.toString(result.overlaps()));
				cells.add(Long.toString(result.notAcquired()));
			}
			row(out, cells);
		}
	}

	private static void handoff(StringBuilder out, StoreRun run, Scenario scenario) {
		List<String> header = List.of("contender", "waits by", "hand-offs", "mean ms", "p50 ms", "p99 ms", "max ms");
		row(out, header);
		separator(out, header.size());
		for (Contender contender : run.contenders()) {
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

	private static void targets(StringBuilder out, List<StoreRun> runs) {
		List<String> lines = new ArrayList<>();
		for (StoreRun run : runs) {
			if (run.skipped() != null) {
				continue;
			}
			boolean redis = run.store() == Contender.Store.REDIS;
			double within = redis ? 1.1 : 1.2;
			double bar = redis ? 0.95 : 0.9;
			for (Scenario scenario : run.scenarios()) {
				if (scenario.kind() == Scenario.Kind.UNCONTENDED) {
					for (Contender ours : ours(run)) {
						double floor = ratio(run, scenario, ours, (c) -> c.role() == Contender.Role.FLOOR);
						if (Double.isNaN(floor)) {
							continue;
						}
						StringBuilder line = new StringBuilder();
						line.append(run.store().title())
							.append(", ")
							.append(scenario.threads())
							.append((scenario.threads() == 1) ? " thread, " : " threads, ")
							.append(ours.name())
							.append(": ")
							.append(format("%.2f× the floor's throughput, a cycle %.2f× the floor's", floor, 1 / floor))
							.append(" (target: cycle within ")
							.append(format("%.1f×", within))
							.append(mark(1 / floor <= within))
							.append("; DESIGN bar ≥ ")
							.append(format("%.2f×", bar))
							.append(mark(floor >= bar))
							.append(")");
						for (Contender peer : run.contenders()) {
							if (peer.role() == Contender.Role.PEER) {
								double versus = ratio(run, scenario, ours, (c) -> c == peer);
								if (!Double.isNaN(versus)) {
									line.append("; ")
										.append(format("%.2f×", versus))
										.append(" ")
										.append(peer.shortName())
										.append(mark(versus > 1));
								}
							}
						}
						lines.add(line.toString());
					}
				}
				if (redis && scenario.kind() == Scenario.Kind.CONTENDED) {
					for (Contender ours : ours(run)) {
						CellResult result = run.result(scenario, ours);
						if (result != null && result.error() == null && result.handoff().getTotalCount() > 0) {
							double median = result.handoff().getValueAtPercentile(50) / 1e6;
							lines.add("Redis, contended, " + ours.name() + ": hand-off to another node median "
									+ format("%.3f ms", median) + " (target < 2 ms" + mark(median < 2) + "), overlaps "
									+ result.overlaps() + mark(result.overlaps() == 0));
						}
					}
				}
				if (redis && scenario.kind() == Scenario.Kind.HANDOFF) {
					for (Contender ours : ours(run)) {
						CellResult result = run.result(scenario, ours);
						if (result != null && result.error() == null && result.handoff().getTotalCount() > 0) {
							double mean = result.handoff().getMean() / 1e6;
							lines.add("Redis, hand-off to a waiter on another node, " + ours.name() + ": mean "
									+ format("%.3f ms", mean) + " (DESIGN bar < 0.3 ms" + mark(mean < 0.3) + ")");
						}
					}
				}
			}
			for (Scenario scenario : run.scenarios()) {
				if (scenario.kind() == Scenario.Kind.CONTENDED) {
					for (Contender contender : run.contenders()) {
						CellResult result = run.result(scenario, contender);
						if (result != null && result.overlaps() > 0) {
							lines.add("**" + run.store().title() + ", " + contender.name() + ": " + result.overlaps()
									+ " overlaps under contention: two holders at once.**");
						}
					}
				}
			}
		}
		out.append("#### Targets (reported, not asserted)\n\n");
		if (lines.isEmpty()) {
			out.append("No result of this project's stores in this run.\n");
		}
		lines.forEach((line) -> out.append("- ").append(line).append('\n'));
	}

	private static String mark(boolean met) {
		return met ? " ✓" : " ✗";
	}

	private static List<Contender> ours(StoreRun run) {
		return run.contenders().stream().filter((c) -> c.role() == Contender.Role.OURS).toList();
	}

	private static List<Contender> ratioColumns(StoreRun run) {
		return run.contenders().stream().filter((c) -> c.role() != Contender.Role.OURS).toList();
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

	/**
	 * The throughput of one contender divided by another's, or NaN if either is missing.
	 */
	private static double ratio(StoreRun run, Scenario scenario, Contender contender, Predicate<Contender> other) {
		CellResult mine = run.result(scenario, contender);
		Contender versus = run.contenders().stream().filter(other).findFirst().orElse(null);
		CellResult theirs = (versus != null) ? run.result(scenario, versus) : null;
		if (mine == null || theirs == null || mine.error() != null || theirs.error() != null
				|| theirs.throughput() == 0) {
			return Double.NaN;
		}
		return mine.throughput() / theirs.throughput();
	}

	private static void notAcquiredNote(StringBuilder out, StoreRun run, Scenario scenario) {
		for (Contender contender : run.contenders()) {
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

	private static String failure(@Nullable CellResult result) {
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

	private static String opsPerSecond(CellResult result) {
		return format("%,.0f", result.throughput());
	}

	private static String micros(Histogram histogram, double percentile) {
		return format("%.0f", histogram.getValueAtPercentile(percentile) / 1e3);
	}

	private static String millis(Histogram histogram, double percentile) {
		return format("%.3f", histogram.getValueAtPercentile(percentile) / 1e6);
	}

	private static String percent(long part, long whole) {
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

	private static String format(String format, Object... values) {
		return String.format(Locale.ROOT, format, values);
	}

}
