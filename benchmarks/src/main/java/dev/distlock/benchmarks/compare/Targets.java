package dev.distlock.benchmarks.compare;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The bars of DESIGN.md (and of issues 10 and 11) checked against one run: reported,
 * never asserted. Throughput bars show each round's ratio too, so that a reader sees
 * whether both rounds agree.
 *
 * @author Distributed Lock team
 */
final class Targets {

	/** The DESIGN bar of our Redis pair against the floor. */
	static final double REDIS_PAIR_BAR = 0.95;

	/** The DESIGN bar of our JDBC pair against the floor. */
	static final double JDBC_PAIR_BAR = 0.9;

	static final double HOT_KEY_BAR = 1.0;

	static final double HOLDER_CHANGES_BAR = 0.5;

	static final double LONGEST_WAIT_HOLDS = 20;

	static final double REDIS_HANDOFF_MEAN_VS_PUB_SUB = 0.5;

	static final double REDIS_HANDOFF_P99_VS_PUB_SUB = 1.0;

	static final double POSTGRES_HANDOFF_MEAN_MILLIS = 2;

	static final double POSTGRES_HANDOFF_P99_MILLIS = 10;

	static final double IDLE_BAR = 0.95;

	static final double RENEWAL_ROUND_TRIPS_BAR = 1;

	static final int LIBRARY_THREADS_BAR = 4;

	static final double REACTIVE_VS_BLOCKING_BAR = 0.9;

	private Targets() {
	}

	static void render(StringBuilder out, List<StoreRun> runs) {
		List<String> lines = new ArrayList<>();
		for (StoreRun run : runs) {
			if (run.skipped() != null) {
				continue;
			}
			for (Scenario scenario : run.scenarios()) {
				switch (scenario.kind()) {
					case UNCONTENDED -> uncontended(lines, run, scenario);
					case CONTENDED -> contended(lines, run, scenario);
					case HANDOFF -> handoff(lines, run, scenario);
					case IDLE_SUBSCRIBERS -> idle(lines, run, scenario);
					case RENEWAL -> renewal(lines, run, scenario);
					case WAITERS -> waiters(lines, run, scenario);
					case ASYNC_UNCONTENDED -> async(lines, run, scenario);
				}
			}
		}
		out.append("#### Targets (reported, not asserted)\n\n");
		if (lines.isEmpty()) {
			out.append("No result of this project's stores in this run.\n");
		}
		lines.forEach((line) -> out.append("- ").append(line).append('\n'));
	}

	private static void uncontended(List<String> lines, StoreRun run, Scenario scenario) {
		boolean redis = run.store() == Contender.Store.REDIS;
		double bar = redis ? REDIS_PAIR_BAR : JDBC_PAIR_BAR;
		for (Contender ours : ours(run, scenario)) {
			CellResult mine = valid(run, scenario, ours);
			Contender floor = find(run, scenario, Contender.Role.FLOOR);
			if (mine == null || floor == null || valid(run, scenario, floor) == null) {
				continue;
			}
			double ratio = Report.ratio(run, scenario, ours, (c) -> c == floor);
			StringBuilder line = new StringBuilder(prefix(run, scenario, ours));
			if (Double.isNaN(ratio)) {
				line.append("no floor result to compare with");
			}
			else {
				line.append(Report.format("%.2f× the floor", ratio))
					.append(perRound(run, scenario, ours, floor))
					.append(Report.format(" (DESIGN bar ≥ %.2f×%s)", bar, mark(ratio >= bar)));
			}
			for (Contender peer : run.contenders(scenario)) {
				if (peer.role() != Contender.Role.PEER && peer.role() != Contender.Role.REFERENCE) {
					continue;
				}
				double versus = Report.ratio(run, scenario, ours, (c) -> c == peer);
				if (Double.isNaN(versus)) {
					continue;
				}
				line.append("; ").append(Report.format("%.2f×", versus)).append(' ').append(peer.shortName());
				// Redis: ahead of every owner-checking peer; a reference gives up a
				// guarantee, so it is shown, not a bar.
				if (peer.role() == Contender.Role.PEER) {
					line.append(mark(versus > 1));
				}
				else {
					line.append(" (reference, no owner check)");
				}
			}
			lines.add(line.toString());
		}
	}

	private static void contended(List<String> lines, StoreRun run, Scenario scenario) {
		Contender floor = find(run, scenario, Contender.Role.FLOOR);
		for (Contender ours : ours(run, scenario)) {
			CellResult mine = valid(run, scenario, ours);
			if (mine == null || mine.operations() == 0) {
				continue;
			}
			double ratio = (floor != null) ? Report.ratio(run, scenario, ours, (c) -> c == floor) : Double.NaN;
			double changes = mine.holderChanges() / (double) mine.operations();
			double waits = Report.longestWaitPerHold(mine);
			lines.add(prefix(run, scenario, ours) + Report.format("%.2f× the floor", ratio)
					+ ((floor != null) ? perRound(run, scenario, ours, floor) : "")
					+ Report.format(" (≥ %.0f×%s)", HOT_KEY_BAR, mark(ratio >= HOT_KEY_BAR))
					+ Report.format(", holder changes %.0f%% (≥ %.0f%%%s)", changes * 100, HOLDER_CHANGES_BAR * 100,
							mark(changes >= HOLDER_CHANGES_BAR))
					+ Report.format(", longest wait %.3f ms = %.1f× the mean hold of %.3f ms (< %.0f×%s)",
							mine.waits().getMaxValue() / 1e6, waits, mine.holds().getMean() / 1e6, LONGEST_WAIT_HOLDS,
							mark(waits < LONGEST_WAIT_HOLDS))
					+ ", overlaps " + mine.overlaps() + mark(mine.overlaps() == 0));
		}
		for (Contender contender : run.contenders(scenario)) {
			CellResult result = run.result(scenario, contender);
			if (result != null && result.overlaps() > 0) {
				lines.add("**" + run.store().title() + ", " + contender.name() + ": " + result.overlaps()
						+ " overlaps under contention: two holders at once.**");
			}
		}
	}

	private static void handoff(List<String> lines, StoreRun run, Scenario scenario) {
		if (run.store() == Contender.Store.MARIADB) {
			return;
		}
		CellResult pubSub = null;
		for (Contender contender : run.contenders(scenario)) {
			if (contender.shortName().equals(RedisContenders.SI_PUB_SUB)) {
				pubSub = valid(run, scenario, contender);
			}
		}
		for (Contender ours : ours(run, scenario)) {
			CellResult mine = valid(run, scenario, ours);
			if (mine == null || mine.handoff().getTotalCount() == 0) {
				continue;
			}
			double mean = mine.handoff().getMean() / 1e6;
			double p99 = mine.handoff().getValueAtPercentile(99) / 1e6;
			String line = prefix(run, scenario, ours) + Report.format("mean %.3f ms, p99 %.3f ms", mean, p99);
			if (run.store() == Contender.Store.REDIS) {
				if (pubSub == null || pubSub.handoff().getTotalCount() == 0) {
					line += " (no Spring Integration pub/sub result to compare with)";
				}
				else {
					double meanRatio = mean / (pubSub.handoff().getMean() / 1e6);
					double p99Ratio = p99 / (pubSub.handoff().getValueAtPercentile(99) / 1e6);
					line += Report.format(
							" = %.2f× / %.2f× Spring Integration pub/sub's (DESIGN ≤ %.1f×%s / ≤ %.0f×%s)", meanRatio,
							p99Ratio, REDIS_HANDOFF_MEAN_VS_PUB_SUB, mark(meanRatio <= REDIS_HANDOFF_MEAN_VS_PUB_SUB),
							REDIS_HANDOFF_P99_VS_PUB_SUB, mark(p99Ratio <= REDIS_HANDOFF_P99_VS_PUB_SUB));
				}
			}
			else {
				line += Report.format(" (DESIGN ≤ %.0f ms%s / ≤ %.0f ms%s)", POSTGRES_HANDOFF_MEAN_MILLIS,
						mark(mean <= POSTGRES_HANDOFF_MEAN_MILLIS), POSTGRES_HANDOFF_P99_MILLIS,
						mark(p99 <= POSTGRES_HANDOFF_P99_MILLIS));
			}
			lines.add(line);
		}
	}

	private static void idle(List<String> lines, StoreRun run, Scenario scenario) {
		for (Contender ours : ours(run, scenario)) {
			CellResult mine = valid(run, scenario, ours);
			if (mine == null) {
				continue;
			}
			double ratio = mine.figure(Scenarios.IDLE_RATIO);
			lines.add(prefix(run, scenario, ours)
					+ Report.format("a cycle with %d idle subscribed instances runs at %.2f× its speed with 1",
							scenario.count(), ratio)
					+ " (rounds " + Report.rounds(mine.figureRounds(Scenarios.IDLE_RATIO), "%.2f") + ")"
					+ Report.format(" (DESIGN ≥ %.2f×%s)", IDLE_BAR, mark(ratio >= IDLE_BAR)));
		}
	}

	private static void renewal(List<String> lines, StoreRun run, Scenario scenario) {
		for (Contender ours : ours(run, scenario)) {
			CellResult mine = valid(run, scenario, ours);
			if (mine == null) {
				continue;
			}
			double roundTrips = mine.figure(Scenarios.RENEWAL_ROUND_TRIPS);
			double lost = mine.figure(Scenarios.RENEWAL_LOST);
			lines.add(prefix(run, scenario, ours)
					+ Report.format("%.2f round trips per renewal period per 100 leases (DESIGN ≤ %.0f%s), ",
							roundTrips, RENEWAL_ROUND_TRIPS_BAR, mark(roundTrips <= RENEWAL_ROUND_TRIPS_BAR))
					+ Report.format("%.1f ms client CPU per period, %.0f leases lost%s",
							mine.figure(Scenarios.RENEWAL_CPU), lost, mark(lost == 0)));
		}
	}

	private static void waiters(List<String> lines, StoreRun run, Scenario scenario) {
		for (Contender ours : ours(run, scenario)) {
			CellResult mine = valid(run, scenario, ours);
			if (mine == null) {
				continue;
			}
			double threads = mine.figure(Scenarios.WAITERS_LIBRARY_MAX);
			long callers = (long) scenario.count()
					* Math.max(1, mine.figureRounds(Scenarios.WAITERS_LIBRARY_MAX).size());
			lines.add(prefix(run, scenario, ours)
					+ Report.format("at most %.0f library threads while they waited (DESIGN ≤ %d%s), ", threads,
							LIBRARY_THREADS_BAR, mark(threads <= LIBRARY_THREADS_BAR))
					+ Report.format("%,d of %,d callers served%s, all in %.2f s, overlaps %d%s", mine.operations(),
							callers, mark(mine.operations() == callers), mine.figure(Scenarios.WAITERS_SERVE_SECONDS),
							mine.overlaps(), mark(mine.overlaps() == 0))
					+ (mine.notes().isEmpty() ? "" : "; " + String.join("; ", mine.notes())));
		}
	}

	private static void async(List<String> lines, StoreRun run, Scenario scenario) {
		Contender blocking = byShortName(run, scenario, OurContenders.TEMPLATE);
		Contender redissonReactive = byShortName(run, scenario, RedisContenders.REDISSON_REACTIVE);
		for (String nonBlocking : List.of(OurContenders.REACTIVE, OurContenders.ASYNC)) {
			Contender ours = byShortName(run, scenario, nonBlocking);
			if (ours == null || valid(run, scenario, ours) == null) {
				continue;
			}
			StringBuilder line = new StringBuilder(prefix(run, scenario, ours));
			if (blocking != null && valid(run, scenario, blocking) != null) {
				double ratio = Report.ratio(run, scenario, ours, (c) -> c == blocking);
				line.append(Report.format("%.2f× the blocking LockTemplate.execute", ratio))
					.append(perRound(run, scenario, ours, blocking))
					.append(Report.format(" (DESIGN ≥ %.1f×%s)", REACTIVE_VS_BLOCKING_BAR,
							mark(ratio >= REACTIVE_VS_BLOCKING_BAR)));
			}
			if (redissonReactive != null && valid(run, scenario, redissonReactive) != null) {
				double ratio = Report.ratio(run, scenario, ours, (c) -> c == redissonReactive);
				line.append(Report.format("; %.2f× Redisson RLockReactive", ratio))
					.append(perRound(run, scenario, ours, redissonReactive))
					.append(" (DESIGN: ahead")
					.append(mark(ratio > 1))
					.append(')');
			}
			lines.add(line.toString());
		}
	}

	private static String prefix(StoreRun run, Scenario scenario, Contender ours) {
		return run.store().title() + ", " + Character.toLowerCase(scenario.title().charAt(0))
				+ scenario.title().substring(1) + ", " + ours.name() + ": ";
	}

	/*
	 * The ratio of two contenders' throughput in each round, such as {@code (rounds 0.93
	 * / 0.97)}; empty with one round.
	 */
	private static String perRound(StoreRun run, Scenario scenario, Contender mine, Contender theirs) {
		CellResult a = run.result(scenario, mine);
		CellResult b = run.result(scenario, theirs);
		if (a == null || b == null) {
			return "";
		}
		List<Double> ours = a.roundThroughputs();
		List<Double> others = b.roundThroughputs();
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < Math.min(ours.size(), others.size()); i++) {
			ratios.add((others.get(i) > 0) ? ours.get(i) / others.get(i) : Double.NaN);
		}
		return (ratios.size() > 1) ? " (rounds " + Report.rounds(ratios, "%.2f") + ")" : "";
	}

	private static List<Contender> ours(StoreRun run, Scenario scenario) {
		return run.contenders(scenario).stream().filter((c) -> c.role() == Contender.Role.OURS).toList();
	}

	private static @Nullable Contender find(StoreRun run, Scenario scenario, Contender.Role role) {
		return run.contenders(scenario).stream().filter((c) -> c.role() == role).findFirst().orElse(null);
	}

	private static @Nullable Contender byShortName(StoreRun run, Scenario scenario, String shortName) {
		return run.contenders(scenario)
			.stream()
			.filter((c) -> c.shortName().equals(shortName))
			.findFirst()
			.orElse(null);
	}

	private static @Nullable CellResult valid(StoreRun run, Scenario scenario, Contender contender) {
		CellResult result = run.result(scenario, contender);
		return (result != null && result.error() == null) ? result : null;
	}

	private static String mark(boolean met) {
		return met ? " ✓" : " ✗";
	}

}
