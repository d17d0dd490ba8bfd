package dev.distlock.metrics;

import java.time.Duration;
import java.util.UUID;

import dev.distlock.core.FaultyLockStore;
import dev.distlock.core.Lease;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockStoreException;
import dev.distlock.core.LockStores;
import dev.distlock.core.LockTemplate;
import dev.distlock.memory.InMemoryLockStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MicrometerLockListener}, through a {@link LockTemplate} on the
 * in-memory store.
 *
 * @author Distributed Lock team
 */
class MicrometerLockListenerTests {

	private static final LockOptions NO_RENEWAL = LockOptions.builder().autoRenew(false).build();

	private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();

	private final InMemoryLockStore store = new InMemoryLockStore();

	private final FaultyLockStore registry = new FaultyLockStore(this.store);

	private final LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

	private final LockTemplate template = new LockTemplate(this.registry, LockSettings.defaults(), this.scheduler,
			new MicrometerLockListener(this.meterRegistry));

	private final String namespace = "metrics-" + UUID.randomUUID();

	@AfterEach
	void closeScheduler() {
		this.scheduler.close();
	}

	@Test
	void acquireIsTimedByOutcomeWithNamespaceAndStoreTags() throws Exception {
		LockKey key = LockKey.of(this.namespace, 42);
		try (Lease lease = this.template.acquire(key, NO_RENEWAL)) {
			assertThat(lease.isValid()).isTrue();
			assertThat(tryAcquireOnOtherThread(key)).isFalse();
		}
		assertThat(acquireTimer("acquired").count()).isEqualTo(1);
		assertThat(acquireTimer("not_acquired").count()).isEqualTo(1);
		assertThat(acquireTimer("error").count()).isZero();
	}

	@Test
	void acquireErrorIsTimedAsError() {
		this.registry.failAcquire();
		assertThatExceptionOfType(LockStoreException.class)
			.isThrownBy(() -> this.template.tryAcquire(LockKey.of(this.namespace, 1), NO_RENEWAL));
		assertThat(acquireTimer("error").count()).isEqualTo(1);
		assertThat(acquireTimer("acquired").count()).isZero();
	}

	@Test
	void activeCountsHeldLocksAndHeldTimesThemOnRelease() {
		Lease first = this.template.acquire(LockKey.of(this.namespace, 1), NO_RENEWAL);
		Lease second = this.template.acquire(LockKey.of(this.namespace, 2), NO_RENEWAL);
		assertThat(activeTimer().activeTasks()).isEqualTo(2);
		first.close();
		assertThat(activeTimer().activeTasks()).isEqualTo(1);
		assertThat(heldTimer().count()).isEqualTo(1);
		second.close();
		assertThat(activeTimer().activeTasks()).isZero();
		assertThat(heldTimer().count()).isEqualTo(2);
	}

	@Test
	void reentrantAcquisitionIsNotRecorded() {
		LockKey key = LockKey.of(this.namespace, 1);
		try (Lease outer = this.template.acquire(key, NO_RENEWAL)) {
			try (Lease inner = this.template.acquire(key, NO_RENEWAL)) {
				assertThat(inner.fencingToken()).isEqualTo(outer.fencingToken());
			}
			assertThat(activeTimer().activeTasks()).isEqualTo(1);
		}
		assertThat(acquireTimer("acquired").count()).isEqualTo(1);
		assertThat(heldTimer().count()).isEqualTo(1);
	}

	@Test
	void renewalsAreCountedBySuccess() {
		LockOptions renewing = LockOptions.builder().leaseTime(Duration.ofMillis(300)).autoRenew(true).build();
		try (Lease lease = this.template.acquire(LockKey.of(this.namespace, 1), renewing)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> renewals("success").count() >= 2);
			assertThat(lease.isValid()).isTrue();
		}
		assertThat(renewals("failure").count()).isZero();
		assertThat(lost().count()).isZero();
	}

	@Test
	void lostLeaseIsCountedAndNoLongerActive() throws Exception {
		LockKey key = LockKey.of(this.namespace, 1);
		LockOptions renewing = LockOptions.builder().leaseTime(Duration.ofMillis(300)).autoRenew(true).build();
		try (Lease lease = this.template.acquire(key, renewing)) {
			this.template.forceRelease(key);
			assertThat(LockStores.acquire(this.store, key, "another-owner", Duration.ofSeconds(30))).isPresent();
			await().atMost(Duration.ofSeconds(10)).until(() -> lost().count() == 1);
			assertThat(lease.isValid()).isFalse();
			assertThat(renewals("failure").count()).isEqualTo(1);
			assertThat(activeTimer().activeTasks()).isZero();
			assertThat(heldTimer().count()).as("the hold ends with the loss").isEqualTo(1);
		}
		assertThat(lost().count()).isEqualTo(1);
		assertThat(heldTimer().count()).isEqualTo(1);
	}

	@Test
	void failedReleaseIsCounted() {
		Lease lease = this.template.acquire(LockKey.of(this.namespace, 1), NO_RENEWAL);
		this.registry.failRelease();
		lease.close();
		assertThat(this.meterRegistry.get(MicrometerLockListener.RELEASE_FAILURES)
			.tag("namespace", this.namespace)
			.counter()
			.count()).isEqualTo(1);
		assertThat(activeTimer().activeTasks()).isZero();
	}

	@Test
	void metersAreRegisteredPerNamespaceAndNeverTaggedWithTheKey() {
		for (int i = 0; i < 20; i++) {
			this.template.acquire(LockKey.of(this.namespace, "user-" + i), NO_RENEWAL).close();
		}
		assertThat(acquireTimer("acquired").count()).isEqualTo(20);
		for (Meter meter : this.meterRegistry.getMeters()) {
			assertThat(meter.getId().getName()).startsWith("distributed.lock.");
			assertThat(meter.getId().getTags()).extracting(Tag::getKey).isSubsetOf("namespace", "store", "outcome");
			assertThat(meter.getId().getTags()).extracting(Tag::getValue).noneMatch((value) -> value.contains("user-"));
		}
		assertThat(this.meterRegistry.getMeters()).hasSize(9);
	}

	@Test
	void withoutTimersRecordsOnlyTheCounters() {
		LockTemplate template = new LockTemplate(this.registry, LockSettings.defaults(), this.scheduler,
				new MicrometerLockListener(this.meterRegistry, false));
		LockOptions renewing = LockOptions.builder().leaseTime(Duration.ofMillis(300)).autoRenew(true).build();
		try (Lease lease = template.acquire(LockKey.of(this.namespace, 1), renewing)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> renewals("success").count() >= 1);
			assertThat(lease.isValid()).isTrue();
		}
		this.registry.failRelease();
		template.acquire(LockKey.of(this.namespace, 2), NO_RENEWAL).close();
		assertThat(this.meterRegistry.getMeters()).extracting((meter) -> meter.getId().getName())
			.doesNotContain(MicrometerLockListener.ACQUIRE, MicrometerLockListener.HELD, MicrometerLockListener.ACTIVE)
			.contains(MicrometerLockListener.RENEWALS, MicrometerLockListener.LOST,
					MicrometerLockListener.RELEASE_FAILURES);
		assertThat(this.meterRegistry.get(MicrometerLockListener.RELEASE_FAILURES)
			.tag("namespace", this.namespace)
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void metersHaveDescriptions() {
		this.template.acquire(LockKey.of(this.namespace, 1), NO_RENEWAL).close();
		assertThat(this.meterRegistry.getMeters())
			.allSatisfy((meter) -> assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank());
		assertThat(this.meterRegistry.getMeters()).extracting((meter) -> meter.getId().getName())
			.contains(MicrometerLockListener.ACQUIRE, MicrometerLockListener.HELD, MicrometerLockListener.ACTIVE,
					MicrometerLockListener.RENEWALS, MicrometerLockListener.LOST);
	}

	private boolean tryAcquireOnOtherThread(LockKey key) throws Exception {
		boolean[] acquired = new boolean[1];
		Thread thread = new Thread(() -> this.template.tryAcquire(key, NO_RENEWAL).ifPresent((lease) -> {
			acquired[0] = true;
			lease.close();
		}));
		thread.start();
		thread.join();
		return acquired[0];
	}

	private Timer acquireTimer(String outcome) {
		return this.meterRegistry.get(MicrometerLockListener.ACQUIRE)
			.tags("namespace", this.namespace, "store", "in-memory", "outcome", outcome)
			.timer();
	}

	private Timer heldTimer() {
		return this.meterRegistry.get(MicrometerLockListener.HELD)
			.tags("namespace", this.namespace, "store", "in-memory")
			.timer();
	}

	private LongTaskTimer activeTimer() {
		return this.meterRegistry.get(MicrometerLockListener.ACTIVE)
			.tags("namespace", this.namespace, "store", "in-memory")
			.longTaskTimer();
	}

	private Counter renewals(String outcome) {
		return this.meterRegistry.get(MicrometerLockListener.RENEWALS)
			.tags("namespace", this.namespace, "store", "in-memory", "outcome", outcome)
			.counter();
	}

	private Counter lost() {
		return this.meterRegistry.get(MicrometerLockListener.LOST)
			.tags("namespace", this.namespace, "store", "in-memory")
			.counter();
	}

}
