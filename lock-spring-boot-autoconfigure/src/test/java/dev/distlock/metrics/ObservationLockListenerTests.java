package dev.distlock.metrics;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.distlock.core.FaultyLockStore;
import dev.distlock.core.Lease;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.AcquireResult;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockStores;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockStoreException;
import dev.distlock.core.LockTemplate;
import dev.distlock.memory.InMemoryLockStore;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ObservationLockListener}, through a {@link LockTemplate} on the
 * in-memory store.
 *
 * @author Distributed Lock team
 */
class ObservationLockListenerTests {

	private static final LockOptions NO_RENEWAL = LockOptions.builder().autoRenew(false).build();

	private final TestObservationRegistry observationRegistry = TestObservationRegistry.create();

	private final AtomicReference<Observation> currentWhileAcquiring = new AtomicReference<>();

	private final InMemoryLockStore store = new InMemoryLockStore() {

		@Override
		public CompletionStage<AcquireResult> tryAcquire(LockRequest request) {
			ObservationLockListenerTests.this.currentWhileAcquiring
				.set(ObservationLockListenerTests.this.observationRegistry.getCurrentObservation());
			return super.tryAcquire(request);
		}

	};

	private final FaultyLockStore registry = new FaultyLockStore(this.store);

	private final LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

	private final LockTemplate template = new LockTemplate(this.registry, LockSettings.defaults(), this.scheduler,
			new ObservationLockListener(this.observationRegistry));

	private final String namespace = "observations-" + UUID.randomUUID();

	@AfterEach
	void closeScheduler() {
		this.scheduler.close();
	}

	@Test
	void acquiredLockIsObservedAsAcquisitionThenHold() {
		LockKey key = LockKey.of(this.namespace, 42);
		Lease lease = this.template.acquire(key, NO_RENEWAL);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.acquisition")
			.that()
			.hasBeenStopped()
			.hasContextualNameEqualTo("acquire lock " + this.namespace)
			.hasLowCardinalityKeyValue("namespace", this.namespace)
			.hasLowCardinalityKeyValue("store", "in-memory")
			.hasLowCardinalityKeyValue("outcome", "acquired")
			.doesNotHaveError();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.hold")
			.that()
			.isNotStopped();
		lease.close();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.hold")
			.that()
			.hasBeenStopped()
			.hasContextualNameEqualTo("hold lock " + this.namespace)
			.hasLowCardinalityKeyValue("namespace", this.namespace)
			.hasLowCardinalityKeyValue("store", "in-memory")
			.hasLowCardinalityKeyValue("outcome", "released")
			.doesNotHaveError();
	}

	@Test
	void keyValuesAreLowCardinalityOnly() {
		this.template.acquire(LockKey.of(this.namespace, "user-42"), NO_RENEWAL).close();
		assertThat(this.observationRegistry).hasNumberOfObservationsEqualTo(2);
		assertThat(this.observationRegistry).forAllObservationsWithNameEqualTo("distributed.lock.acquisition",
				(observation) -> observation.hasKeyValuesCount(3));
		assertThat(this.observationRegistry).forAllObservationsWithNameEqualTo("distributed.lock.hold",
				(observation) -> observation.hasKeyValuesCount(3));
		assertThat(this.observationRegistry).hasHandledContextsThatSatisfy((contexts) -> assertThat(contexts)
			.allSatisfy((context) -> assertThat(context.getAllKeyValues().stream())
				.noneMatch((keyValue) -> keyValue.getValue().contains("user-42"))));
	}

	@Test
	void globalConventionExtendingTheDefaultCanAddTheKeyToSpans() {
		this.observationRegistry.observationConfig().observationConvention(new LockKeyInSpans());
		LockKey key = LockKey.of(this.namespace, "user-42");
		this.template.acquire(key, NO_RENEWAL).close();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.hold")
			.that()
			.hasLowCardinalityKeyValue("outcome", "released")
			.hasHighCardinalityKeyValue("lock.key", key.asString());
	}

	@Test
	void acquisitionIsInScopeWhileTheStoreIsCalledAndHoldIsAChildOfTheCaller() {
		Observation caller = Observation.start("caller", this.observationRegistry);
		caller.scoped(() -> {
			Lease lease = this.template.acquire(LockKey.of(this.namespace, 1), NO_RENEWAL);
			assertThat(this.observationRegistry.getCurrentObservation()).isSameAs(caller);
			lease.close();
		});
		caller.stop();
		Observation whileAcquiring = this.currentWhileAcquiring.get();
		assertThat(whileAcquiring).isNotNull();
		assertThat(whileAcquiring.getContext().getName()).isEqualTo("distributed.lock.acquisition");
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.acquisition")
			.that()
			.hasParentObservationEqualTo(caller);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.hold")
			.that()
			.hasParentObservationEqualTo(caller);
	}

	@Test
	void notAcquiredLockIsObservedWithoutHold() throws Exception {
		LockKey key = LockKey.of(this.namespace, 1);
		assertThat(LockStores.acquire(this.store, key, "another-owner", Duration.ofSeconds(30))).isPresent();
		assertThat(this.template.tryAcquire(key, NO_RENEWAL)).isEmpty();
		assertThat(this.observationRegistry).hasNumberOfObservationsEqualTo(1)
			.hasObservationWithNameEqualTo("distributed.lock.acquisition")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("outcome", "not_acquired");
		assertThat(this.observationRegistry.getCurrentObservation()).isNull();
	}

	@Test
	void storeFailureIsObservedAsError() {
		this.registry.failAcquire();
		assertThatExceptionOfType(LockStoreException.class)
			.isThrownBy(() -> this.template.tryAcquire(LockKey.of(this.namespace, 1), NO_RENEWAL));
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.acquisition")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("outcome", "error")
			.hasError();
		assertThat(this.observationRegistry.getCurrentObservation()).isNull();
	}

	@Test
	void lostLeaseEndsHoldAsLost() throws Exception {
		LockKey key = LockKey.of(this.namespace, 1);
		LockOptions renewing = LockOptions.builder().leaseTime(Duration.ofMillis(300)).autoRenew(true).build();
		Lease lease = this.template.acquire(key, renewing);
		this.template.forceRelease(key);
		assertThat(LockStores.acquire(this.store, key, "another-owner", Duration.ofSeconds(30))).isPresent();
		await().atMost(Duration.ofSeconds(10)).until(() -> !lease.isValid());
		lease.close();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.hold")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("outcome", "lost");
	}

	@Test
	void failedReleaseEndsHoldWithError() {
		Lease lease = this.template.acquire(LockKey.of(this.namespace, 1), NO_RENEWAL);
		this.registry.failRelease();
		lease.close();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.hold")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("outcome", "release_failed")
			.hasError();
	}

	static class LockKeyInSpans extends DefaultLockHoldObservationConvention
			implements GlobalObservationConvention<LockHoldContext> {

		@Override
		public KeyValues getHighCardinalityKeyValues(LockHoldContext context) {
			return KeyValues.of("lock.key", context.getKey().asString());
		}

	}

}
