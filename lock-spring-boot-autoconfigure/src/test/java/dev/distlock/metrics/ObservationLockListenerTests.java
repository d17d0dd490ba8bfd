package dev.distlock.metrics;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import dev.distlock.core.AcquireResult;
import dev.distlock.core.FaultyLockStore;
import dev.distlock.core.Lease;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockStoreException;
import dev.distlock.core.LockStores;
import dev.distlock.core.LockTemplate;
import dev.distlock.memory.InMemoryLockStore;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.acquire")
			.that()
			.hasBeenStopped()
			.hasContextualNameEqualTo("acquire lock " + this.namespace)
			.hasLowCardinalityKeyValue("namespace", this.namespace)
			.hasLowCardinalityKeyValue("store", "in-memory")
			.hasLowCardinalityKeyValue("outcome", "acquired")
			.doesNotHaveError();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.held")
			.that()
			.isNotStopped();
		lease.close();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.held")
			.that()
			.hasBeenStopped()
			.hasContextualNameEqualTo("hold lock " + this.namespace)
			.hasLowCardinalityKeyValue("namespace", this.namespace)
			.hasLowCardinalityKeyValue("store", "in-memory")
			.doesNotHaveLowCardinalityKeyValueWithKey("outcome")
			.doesNotHaveError();
		assertThat(holdOutcome()).isEqualTo("released");
	}

	@Test
	void keyValuesAreLowCardinalityOnly() {
		this.template.acquire(LockKey.of(this.namespace, "user-42"), NO_RENEWAL).close();
		assertThat(this.observationRegistry).hasNumberOfObservationsEqualTo(2);
		assertThat(this.observationRegistry).forAllObservationsWithNameEqualTo("distributed.lock.acquire",
				(observation) -> observation.hasKeyValuesCount(3));
		assertThat(this.observationRegistry).forAllObservationsWithNameEqualTo("distributed.lock.held",
				(observation) -> observation.hasKeyValuesCount(2));
		assertThat(this.observationRegistry).hasHandledContextsThatSatisfy((contexts) -> assertThat(contexts)
			.allSatisfy((context) -> assertThat(context.getAllKeyValues().stream())
				.noneMatch((keyValue) -> keyValue.getValue().contains("user-42"))));
	}

	@Test
	void globalConventionExtendingTheDefaultCanAddTheKeyToSpans() {
		this.observationRegistry.observationConfig().observationConvention(new LockKeyInSpans());
		LockKey key = LockKey.of(this.namespace, "user-42");
		this.template.acquire(key, NO_RENEWAL).close();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.held")
			.that()
			.hasLowCardinalityKeyValue("namespace", this.namespace)
			.hasHighCardinalityKeyValue("lock.key", key.asString());
	}

	@Test
	void conventionsPassedToTheListenerReplaceTheDefaults() {
		LockTemplate template = new LockTemplate(this.registry, LockSettings.defaults(), this.scheduler,
				new ObservationLockListener(this.observationRegistry, new TeamAcquisitionConvention(),
						new TeamHoldConvention()));
		template.acquire(LockKey.of(this.namespace, 1), NO_RENEWAL).close();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("team.lock.wait")
			.that()
			.hasLowCardinalityKeyValue("team", "billing")
			.hasLowCardinalityKeyValue("outcome", "acquired");
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("team.lock.hold")
			.that()
			.hasLowCardinalityKeyValue("team", "billing");
		assertThat(this.observationRegistry).hasNumberOfObservationsWithNameEqualTo("distributed.lock.acquire", 0);
	}

	@Test
	void conventionPassedToTheListenerWinsOverAGlobalOne() {
		this.observationRegistry.observationConfig().observationConvention(new LockKeyInSpans());
		LockTemplate template = new LockTemplate(this.registry, LockSettings.defaults(), this.scheduler,
				new ObservationLockListener(this.observationRegistry, null, new TeamHoldConvention()));
		template.acquire(LockKey.of(this.namespace, "user-42"), NO_RENEWAL).close();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("team.lock.hold")
			.that()
			.doesNotHaveHighCardinalityKeyValueWithKey("lock.key");
	}

	@Test
	void asynchronousAcquisitionLeavesNoScopeOpenOnTheCallersThread() {
		this.registry.delayAcquire(Duration.ofMillis(200));
		CompletableFuture<Optional<Lease>> acquired = this.template.tryAcquireAsync(LockKey.of(this.namespace, 1),
				NO_RENEWAL);
		assertThat(acquired).isNotDone();
		assertThat(this.observationRegistry.getCurrentObservation()).isNull();
		Lease lease = acquired.join().orElseThrow();
		this.template.releaseAsync(lease).join();
		assertThat(this.observationRegistry.getCurrentObservation()).isNull();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.acquire")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("outcome", "acquired");
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.held")
			.that()
			.hasBeenStopped();
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
		assertThat(whileAcquiring.getContext().getName()).isEqualTo("distributed.lock.acquire");
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.acquire")
			.that()
			.hasParentObservationEqualTo(caller);
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.held")
			.that()
			.hasParentObservationEqualTo(caller);
	}

	@Test
	void notAcquiredLockIsObservedWithoutHold() throws Exception {
		LockKey key = LockKey.of(this.namespace, 1);
		assertThat(LockStores.acquire(this.store, key, "another-owner", Duration.ofSeconds(30))).isPresent();
		assertThat(this.template.tryAcquire(key, NO_RENEWAL)).isEmpty();
		assertThat(this.observationRegistry).hasNumberOfObservationsEqualTo(1)
			.hasObservationWithNameEqualTo("distributed.lock.acquire")
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
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.acquire")
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
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.held")
			.that()
			.hasBeenStopped();
		assertThat(holdOutcome()).isEqualTo("lost");
		lease.close();
		assertThat(holdOutcome()).isEqualTo("lost");
	}

	@Test
	void failedReleaseEndsHoldWithError() {
		Lease lease = this.template.acquire(LockKey.of(this.namespace, 1), NO_RENEWAL);
		this.registry.failRelease();
		lease.close();
		assertThat(this.observationRegistry).hasObservationWithNameEqualTo("distributed.lock.held")
			.that()
			.hasBeenStopped()
			.hasError();
		assertThat(holdOutcome()).isEqualTo("release_failed");
	}

	private String holdOutcome() {
		AtomicReference<String> outcome = new AtomicReference<>();
		assertThat(this.observationRegistry).hasHandledContextsThatSatisfy(
				(contexts) -> assertThat(contexts).filteredOn(LockHoldContext.class::isInstance)
					.singleElement()
					.satisfies((context) -> outcome.set(((LockHoldContext) context).getOutcome())));
		return outcome.get();
	}

	static class TeamAcquisitionConvention extends DefaultLockAcquisitionObservationConvention {

		@Override
		public String getName() {
			return "team.lock.wait";
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(LockAcquisitionContext context) {
			return super.getLowCardinalityKeyValues(context).and("team", "billing");
		}

	}

	static class TeamHoldConvention implements LockHoldObservationConvention {

		@Override
		public String getName() {
			return "team.lock.hold";
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(LockHoldContext context) {
			return KeyValues.of("team", "billing");
		}

	}

	static class LockKeyInSpans extends DefaultLockHoldObservationConvention
			implements GlobalObservationConvention<LockHoldContext> {

		@Override
		public KeyValues getHighCardinalityKeyValues(LockHoldContext context) {
			return KeyValues.of("lock.key", context.getKey().asString());
		}

	}

}
