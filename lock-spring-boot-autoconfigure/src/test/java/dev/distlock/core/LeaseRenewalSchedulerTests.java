package dev.distlock.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.distlock.memory.InMemoryLockStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the queue of {@link LeaseRenewalScheduler}: lease checks and store-call
 * bounds.
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
	void releasedAndLostLeasesLeaveTheQueueAtOnce() {
		try (LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler()) {
			LockTemplate template = LockTemplate.builder(new InMemoryLockStore()).scheduler(scheduler).build();
			for (int i = 0; i < 1000; i++) {
				template.execute(LockKey.of("queue", i), () -> null);
			}
			// Their checks were due in ten seconds; a released lease must not stay
			// reachable until then (a hot path would keep millions alive).
			assertThat(scheduler.queuedEntries()).isZero();
			Lease held = template.acquire(LockKey.of("queue", "held"), LockOptions.defaults());
			assertThat(scheduler.queuedEntries()).isOne();
			((DefaultLease) held).markLost("test");
			assertThat(scheduler.queuedEntries()).isZero();
			held.close();
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
