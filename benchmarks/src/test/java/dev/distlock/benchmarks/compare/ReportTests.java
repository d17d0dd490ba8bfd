package dev.distlock.benchmarks.compare;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Report}.
 */
class ReportTests {

	private static final BenchSettings SETTINGS = BenchSettings.read((name) -> null, (name) -> null);

	private final Contender floor = contender("floor", Contender.Role.FLOOR);

	private final Contender ours = contender("distlock", Contender.Role.OURS);

	private final Contender peer = contender("peer", Contender.Role.PEER);

	private final Scenario oneThread = new Scenario(Scenario.Kind.UNCONTENDED, 1);

	@Test
	void showsEachResultAsARatioToTheFloorAndToEachPeer() {
		StoreRun run = new StoreRun(Contender.Store.REDIS, List.of(this.floor, this.ours, this.peer),
				List.of(this.oneThread));
		run.add(this.oneThread, this.floor, cycles(1000, 100_000));
		run.add(this.oneThread, this.ours, cycles(950, 110_000));
		run.add(this.oneThread, this.peer, cycles(500, 200_000));
		String report = Report.render(List.of(run), SETTINGS);
		assertThat(report).contains("| contender | ops/s | p50 µs | p99 µs | × floor | × peer |");
		assertThat(report).contains("| distlock | 950 | 110 | 110 | 0.95 | 1.90 |");
		assertThat(report).contains("| peer | 500 | 200 | 200 | 0.50 | – |");
		assertThat(report).contains("0.95× the floor (DESIGN bar ≥ 0.95× ✓)");
		assertThat(report).contains("1.90× peer ✓");
	}

	@Test
	void reportsAFailedContenderInsteadOfARatio() {
		StoreRun run = new StoreRun(Contender.Store.POSTGRESQL, List.of(this.floor, this.peer),
				List.of(this.oneThread));
		run.add(this.oneThread, this.floor, cycles(1000, 100_000));
		CellResult failed = new CellResult();
		failed.fail(new IllegalStateException("connection refused"));
		run.add(this.oneThread, this.peer, failed);
		assertThat(Report.render(List.of(run), SETTINGS))
			.contains("| peer | failed: IllegalStateException: connection refused |")
			.contains("| floor | 1,000 | 100 | 100 | – | ? |");
	}

	@Test
	void flagsOverlapsUnderContention() {
		Scenario contended = new Scenario(Scenario.Kind.CONTENDED, 8);
		StoreRun run = new StoreRun(Contender.Store.REDIS, List.of(this.floor, this.peer), List.of(contended));
		CellResult overlapping = cycles(10, 1000);
		overlapping.countOverlap();
		run.add(contended, this.floor, cycles(10, 1000));
		run.add(contended, this.peer, overlapping);
		assertThat(Report.render(List.of(run), SETTINGS)).contains("**Redis, peer: 1 overlaps under contention");
	}

	@Test
	void showsEachRoundsRatioBesideTheMedian() {
		StoreRun run = new StoreRun(Contender.Store.REDIS, List.of(this.floor, this.ours), List.of(this.oneThread));
		run.add(this.oneThread, this.floor, cycles(1000, 100_000));
		run.add(this.oneThread, this.floor, cycles(1000, 100_000));
		run.add(this.oneThread, this.ours, cycles(900, 110_000));
		run.add(this.oneThread, this.ours, cycles(1000, 110_000));
		assertThat(Report.render(List.of(run), SETTINGS)).contains("0.95× the floor (rounds 0.90 / 1.00)");
	}

	@Test
	void readsTheHotKeyAgainstItsBars() {
		Scenario contended = new Scenario(Scenario.Kind.CONTENDED, 8);
		StoreRun run = new StoreRun(Contender.Store.POSTGRESQL, List.of(this.floor, this.ours), List.of(contended));
		run.add(contended, this.floor, cycles(100, 1000));
		CellResult mine = new CellResult();
		for (int i = 0; i < 200; i++) {
			mine.countOperation();
			if (i % 4 != 0) {
				mine.countHolderChange();
			}
			// Waits of 1 to 2.2 ms, holds of 0.1 ms: the longest wait is 22 holds.
			mine.recordWaitAndHold(1_000_000 + i * 6_000, 100_000);
		}
		mine.addWindow(1_000_000_000L);
		run.add(contended, this.ours, mine);
		String report = Report.render(List.of(run), SETTINGS);
		assertThat(report).contains("2.00× the floor (≥ 1×")
			.contains("holder changes 75% (≥ 50% ✓)")
			.contains("× the mean hold of 0.100 ms (< 20× ✗)")
			.contains("overlaps 0 ✓");
	}

	@Test
	void showsTheIdleSubscribersRatioOfEachRound() {
		Scenario idle = new Scenario(Scenario.Kind.IDLE_SUBSCRIBERS, 1, 32);
		StoreRun run = new StoreRun(Contender.Store.REDIS, List.of(this.ours.alsoIn(Scenario.Kind.IDLE_SUBSCRIBERS)),
				List.of(idle));
		for (double ratio : new double[] { 0.9, 1.0 }) {
			CellResult round = new CellResult();
			round.recordFigure(Scenarios.IDLE_ONE, 1000);
			round.recordFigure(Scenarios.IDLE_MANY, 1000 * ratio);
			round.recordFigure(Scenarios.IDLE_RATIO, ratio);
			round.recordFigure(Scenarios.IDLE_ONE_P50, 100);
			round.recordFigure(Scenarios.IDLE_MANY_P50, 110);
			run.add(idle, run.contenders().get(0), round);
		}
		String report = Report.render(List.of(run), SETTINGS);
		assertThat(report).contains("| distlock |  | 1,000 | 950 | 0.95 (0.90 / 1.00) | 100 / 110 |")
			.contains("runs at 0.95× its speed with 1 (rounds 0.90 / 1.00) (DESIGN ≥ 0.95× ✓)");
	}

	@Test
	void readsTheWaitersAgainstTheLibraryThreadBar() {
		Scenario waiters = new Scenario(Scenario.Kind.WAITERS, 1, 3);
		Contender ours = new Contender("distlock", "distlock", Contender.Store.REDIS, Contender.Role.OURS, "", () -> {
			throw new UnsupportedOperationException();
		}, Set.of(Scenario.Kind.WAITERS));
		StoreRun run = new StoreRun(Contender.Store.REDIS, List.of(ours), List.of(waiters));
		CellResult result = new CellResult();
		for (int i = 0; i < 3; i++) {
			result.countOperation();
		}
		result.recordFigure(Scenarios.WAITERS_SERVE_SECONDS, 1.5);
		result.recordFigure(Scenarios.WAITERS_LIBRARY_MAX, 5);
		result.recordFigure(Scenarios.WAITERS_ALL_BEFORE, 20);
		result.recordFigure(Scenarios.WAITERS_ALL_MAX, 25);
		result.recordFigure(Scenarios.WAITERS_ISSUE_MILLIS, 12);
		result.libraryThreads(Map.of("distributed-lock-jdbc-N", 4, "distributed-lock-timer", 1));
		run.add(waiters, ours, result);
		String report = Report.render(List.of(run), SETTINGS);
		assertThat(report)
			.contains("| distlock | 3 | 0 | 0 | 0 | 1.50 | 2 | 5 | 4× distributed-lock-jdbc-N, "
					+ "1× distributed-lock-timer | 20 → 25 | 12 |")
			.contains("at most 5 library threads while they waited (DESIGN ≤ 4 ✗), 3 of 3 callers served ✓");
	}

	private static CellResult cycles(int operationsPerSecond, long latencyNanos) {
		CellResult result = new CellResult();
		for (int i = 0; i < operationsPerSecond; i++) {
			result.recordCycle(latencyNanos);
		}
		result.addWindow(1_000_000_000L);
		return result;
	}

	private static Contender contender(String name, Contender.Role role) {
		return new Contender(name, name, Contender.Store.REDIS, role, "", () -> {
			throw new UnsupportedOperationException();
		});
	}

}
