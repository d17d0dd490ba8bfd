package dev.distlock.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.distlock.memory.InMemoryLockStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A section that ends after its lease's local deadline, before the timer reported the
 * loss (the timer runs late, as under a busy machine or a long pause), is still told: the
 * lease is lost, not quietly released. The fault suite found it: under a blackhole the
 * holder's method ended a few milliseconds past the deadline and returned normally with
 * {@code on-lease-lost=throw}.
 *
 * @author Distributed Lock team
 */
class LeaseClosedPastItsDeadlineTests {

	@Test
	void sectionEndingPastTheDeadlineBeforeTheTimerNoticedEndsInLockLostException() throws Exception {
		List<Lease> lost = new CopyOnWriteArrayList<>();
		try (LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler()) {
			// The release cannot reach the store, as under a partition: only the local
			// clock can tell the holder.
			FaultyLockStore store = new FaultyLockStore(new InMemoryLockStore());
			LockTemplate template = LockTemplate.builder(store)
				.scheduler(scheduler)
				.settings(LockSettings.builder().leaseLostPolicy(LeaseLostPolicy.THROW).build())
				.listener(new LockListener() {
					@Override
					public void onLost(LockAttempt attempt, Lease lease) {
						lost.add(lease);
					}
				})
				.build();
			Lease lease = template.acquire(LockKey.of("deadline", 1),
					LockOptions.builder().leaseTime(Duration.ofMillis(300)).autoRenew(false).build());
			store.failRelease();
			CountDownLatch timerHeld = new CountDownLatch(1);
			CountDownLatch letTimerGo = new CountDownLatch(1);
			// Keep the timer thread busy past the deadline, so that only the closing
			// section can notice that the lease ended.
			scheduler.schedule(() -> {
				timerHeld.countDown();
				try {
					letTimerGo.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, 0);
			assertThat(timerHeld.await(10, TimeUnit.SECONDS)).isTrue();
			try {
				assertThatExceptionOfType(LockLostException.class).isThrownBy(() -> template.runHolding(lease, () -> {
					Thread.sleep(500);
					return "done";
				}));
				assertThat(lease.isValid()).isFalse();
				assertThat(lost).containsExactly(lease);
			}
			finally {
				letTimerGo.countDown();
			}
		}
	}

}
