package dev.distlock.benchmarks.compare;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CellResult}.
 */
class CellResultTests {

	@Test
	void throughputOfRoundsIsTheirMedianSoThatOneDisturbedRoundMovesItLeast() {
		CellResult total = new CellResult();
		total.add(round(100));
		total.add(round(1000));
		total.add(round(200));
		assertThat(total.throughput()).isEqualTo(200);
		assertThat(total.operations()).isEqualTo(1300);
		assertThat(total.latency().getTotalCount()).isEqualTo(1300);
	}

	@Test
	void throughputOfTwoRoundsIsTheirMean() {
		CellResult total = new CellResult();
		total.add(round(100));
		total.add(round(300));
		assertThat(total.throughput()).isEqualTo(200);
	}

	@Test
	void aFailureIsKeptWhenRoundsAreAdded() {
		CellResult failed = new CellResult();
		failed.fail(new IllegalStateException("first\nsecond line"));
		CellResult total = new CellResult();
		total.add(round(100));
		total.add(failed);
		assertThat(total.error()).isEqualTo("IllegalStateException: first");
	}

	private static CellResult round(int operationsPerSecond) {
		CellResult result = new CellResult();
		for (int i = 0; i < operationsPerSecond; i++) {
			result.recordCycle(1000);
		}
		result.addWindow(1_000_000_000L);
		return result;
	}

}
