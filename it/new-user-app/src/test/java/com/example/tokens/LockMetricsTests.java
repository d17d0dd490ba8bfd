package com.example.tokens;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The lock meters as the library's design names them, each interval measured once:
 * after N locked calls the {@code distributed.lock.acquire} timer of the namespace has
 * counted N acquisitions, and no other timer counted the same acquisitions or holds
 * again.
 */
@SpringBootTest
class LockMetricsTests {

	private static final int CALLS = 5;

	@Autowired
	private TokenService tokens;

	@Autowired
	private MeterRegistry registry;

	@Test
	void theAcquireTimerCountsEachAcquisitionWithNamespaceStoreAndOutcome() {
		Map<Meter.Id, Long> before = lockTimerCounts();
		refreshTokens();
		Timer acquired = this.registry.get("distributed.lock.acquire")
			.tags("namespace", "token_refresh", "store", "jdbc", "outcome", "acquired")
			.timer();
		assertThat(acquired.count() - before.getOrDefault(acquired.getId(), 0L)).isEqualTo(CALLS);
		// The actuator brings an ObservationRegistry: the timers come from the observations, and
		// Spring Boot's meter observation handler adds its "error" tag.
		assertThat(acquired.getId().getTags()).extracting(Tag::getKey)
			.containsExactlyInAnyOrder("namespace", "store", "outcome", "error");
		Timer held = this.registry.get("distributed.lock.held").tags("namespace", "token_refresh").timer();
		assertThat(held.getId().getTags()).extracting(Tag::getKey)
			.containsExactlyInAnyOrder("namespace", "store", "error");
	}

	@Test
	void noOtherTimerMeasuresTheSameAcquisitionsOrHolds() {
		Map<Meter.Id, Long> before = lockTimerCounts();
		refreshTokens();
		Map<String, Long> added = new HashMap<>();
		lockTimerCounts().forEach((id, count) -> {
			long delta = count - before.getOrDefault(id, 0L);
			if (delta != 0) {
				added.merge(id.getName(), delta, Long::sum);
			}
		});
		assertThat(added).as("what %d locked calls added to each distributed.lock timer", CALLS)
			.containsOnly(entry("distributed.lock.acquire", (long) CALLS), entry("distributed.lock.held", (long) CALLS));
	}

	@Test
	void theOnlyLongTaskTimersAreTheHeldLocksAndTheAcquisitionsUnderWay() {
		refreshTokens();
		Set<String> longTaskTimers = this.registry.getMeters()
			.stream()
			.filter((meter) -> meter instanceof LongTaskTimer)
			.map((meter) -> meter.getId().getName())
			.filter((name) -> name.startsWith("distributed.lock"))
			.collect(Collectors.toSet());
		// One per observation, derived by Spring Boot's handler; the binding adds none of its own.
		assertThat(longTaskTimers).as("long task timers of the locks")
			.containsExactlyInAnyOrder("distributed.lock.held.active", "distributed.lock.acquire.active");
	}

	private void refreshTokens() {
		for (int i = 0; i < CALLS; i++) {
			this.tokens.refresh(1000 + i);
		}
	}

	private Map<Meter.Id, Long> lockTimerCounts() {
		return this.registry.getMeters()
			.stream()
			.filter((meter) -> meter instanceof Timer && meter.getId().getName().startsWith("distributed.lock"))
			.collect(Collectors.toMap(Meter::getId, (meter) -> ((Timer) meter).count()));
	}

}
