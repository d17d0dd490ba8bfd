package dev.distlock.benchmarks.compare;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisCommandStats}.
 */
class RedisCommandStatsTests {

	@Test
	void countsScriptCallsAsRoundTripsAndEveryCommandButInfo() {
		String info = """
				# Commandstats\r
				cmdstat_evalsha:calls=120,usec=9000,usec_per_call=75.00,rejected_calls=0,failed_calls=0\r
				cmdstat_eval:calls=3,usec=400,usec_per_call=133.33,rejected_calls=0,failed_calls=0\r
				cmdstat_set:calls=10,usec=20,usec_per_call=2.00,rejected_calls=0,failed_calls=0\r
				cmdstat_info:calls=7,usec=700,usec_per_call=100.00,rejected_calls=0,failed_calls=0\r
				""";
		RoundTripCounter.Counts counts = RedisCommandStats.parse(info);
		assertThat(counts.roundTrips()).isEqualTo(123);
		assertThat(counts.commands()).isEqualTo(133);
	}

	@Test
	void differencesOfTwoReadingsAreWhatHappenedBetween() {
		RoundTripCounter.Counts before = new RoundTripCounter.Counts(100, 150);
		RoundTripCounter.Counts after = new RoundTripCounter.Counts(120, 180);
		assertThat(after.since(before)).isEqualTo(new RoundTripCounter.Counts(20, 30));
	}

}
