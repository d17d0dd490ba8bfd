package dev.distlock.benchmarks.compare;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Report}.
 */
class ReportTests {

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
		String report = Report.render(List.of(run));
		assertThat(report).contains("| contender | ops/s | p50 µs | p99 µs | × floor | × peer |");
		assertThat(report).contains("| distlock | 950 | 110 | 110 | 0.95 | 1.90 |");
		assertThat(report).contains("| peer | 500 | 200 | 200 | 0.50 | – |");
		assertThat(report).contains("0.95× the floor's throughput");
		assertThat(report).contains("DESIGN bar ≥ 0.95× ✓");
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
		assertThat(Report.render(List.of(run))).contains("| peer | failed: IllegalStateException: connection refused |")
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
		assertThat(Report.render(List.of(run))).contains("**Redis, peer: 1 overlaps under contention");
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
