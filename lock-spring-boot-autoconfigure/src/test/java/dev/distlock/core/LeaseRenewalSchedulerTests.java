package dev.distlock.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the store-call bounds kept by {@link LeaseRenewalScheduler}.
 *
 * @author Distributed Lock team
 */
class LeaseRenewalSchedulerTests {

	@Test
	void unansweredCallFailsWithTimeoutOnceItsBoundPasses() throws Exception {
		try (LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler()) {
			CompletableFuture<String> call = new CompletableFuture<>();
			scheduler.expire(call, TimeUnit.MILLISECONDS.toNanos(30));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(10, TimeUnit.SECONDS))
				.withCauseInstanceOf(TimeoutException.class);
			assertThat(scheduler.queuedEntries()).isZero();
		}
	}

	@Test
	void answeredCallKeepsItsValue() throws Exception {
		// A later call's timeout proves the tick for the first one has passed.
		try (LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler()) {
			CompletableFuture<String> call = new CompletableFuture<>();
			scheduler.expire(call, TimeUnit.MILLISECONDS.toNanos(200));
			call.complete("answer");
			CompletableFuture<String> later = new CompletableFuture<>();
			scheduler.expire(later, TimeUnit.MILLISECONDS.toNanos(400));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> later.get(10, TimeUnit.SECONDS));
			assertThat(call.join()).isEqualTo("answer");
		}
	}

	@Test
	void callsAreStillBoundedAfterClose() {
		LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();
		scheduler.close();
		CompletableFuture<String> call = new CompletableFuture<>();
		scheduler.expire(call, Duration.ofMillis(20).toNanos());
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(10, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class);
	}

}
