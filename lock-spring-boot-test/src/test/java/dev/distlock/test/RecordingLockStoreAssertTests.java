package dev.distlock.test;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.Lease;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockTemplate;
import dev.distlock.memory.InMemoryLockStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.distlock.test.RecordingLockStoreAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RecordingLockStoreAssert}: each assertion passes on what happened and
 * fails, saying what was recorded, on what did not.
 *
 * @author Distributed Lock team
 */
class RecordingLockStoreAssertTests {

	private static final LockKey USER_42 = LockKey.of("token_refresh", 42);

	private static final LockKey USER_7 = LockKey.of("token_refresh", 7);

	private static final LockOptions FAIL_FAST = LockOptions.builder().waitTime(Duration.ZERO).build();

	private final LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

	private final RecordingLockStore store = new RecordingLockStore(new InMemoryLockStore());

	private final LockTemplate template = LockTemplate.builder(this.store).scheduler(this.scheduler).build();

	@AfterEach
	void closeScheduler() {
		this.scheduler.close();
	}

	@Test
	void hasLockedCountsAcquisitionsOfOneKey() {
		lock(USER_42);
		lock(USER_42);
		lock(USER_7);
		assertThat(this.store).hasLocked(USER_42).hasLocked(USER_42, 2).hasLocked(USER_7, 1);
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(this.store).hasLocked(USER_7, 2))
			.withMessage("Expected lock 'token_refresh:7' to have been acquired 2 times, but it was acquired once. "
					+ "Acquired: 'token_refresh:42' 2 times, 'token_refresh:7' once.");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.store).hasLocked(LockKey.of("token_refresh", 1)))
			.withMessageStartingWith("Expected lock 'token_refresh:1' to have been acquired, but it was not.");
	}

	@Test
	void hasNotLockedFailsForAnAcquiredKey() {
		lock(USER_42);
		assertThat(this.store).hasNotLocked(USER_7);
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(this.store).hasNotLocked(USER_42))
			.withMessageStartingWith(
					"Expected lock 'token_refresh:42' not to have been acquired, but it was acquired once.");
	}

	@Test
	void hasLockedOnlyComparesTheSetOfKeys() {
		lock(USER_42);
		lock(USER_7);
		lock(USER_42);
		assertThat(this.store).hasLockedOnly(USER_7, USER_42);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.store).hasLockedOnly(USER_42, LockKey.of("report")))
			.withMessageStartingWith("Expected only ['token_refresh:42', 'report'] to have been acquired, but "
					+ "['report'] were not and ['token_refresh:7'] were too.");
	}

	@Test
	void hasLockedInNamespaceCountsEveryKeyOfTheNamespace() {
		lock(USER_42);
		lock(USER_7);
		lock(LockKey.of("report", "2026-12-01"));
		assertThat(this.store).hasLockedInNamespace("token_refresh", 2).hasLockedInNamespace("report", 1);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.store).hasLockedInNamespace("token_refresh", 3))
			.withMessageStartingWith("Expected the locks of namespace 'token_refresh' to have been acquired 3 "
					+ "times, but they were acquired 2 times.");
	}

	@Test
	void hasNotAcquiredCountsRefusals() throws Exception {
		Lease held = this.template.acquire(USER_42, FAIL_FAST);
		elsewhere(() -> this.template.tryAcquire(USER_42, FAIL_FAST));
		held.close();
		assertThat(this.store).hasNotAcquired(USER_42, 1).hasNotAcquired(USER_7, 0);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.store).hasNotAcquired(USER_42, 0))
			.withMessageStartingWith("Expected lock 'token_refresh:42' to have been refused 0 times (held by "
					+ "another owner), but it was refused once.");
	}

	@Test
	void hasNoOverlapsListsTheHoldersThatOverlapped() throws Exception {
		lock(USER_42);
		assertThat(this.store).hasNoOverlaps();
		Lease first = this.template.acquire(USER_42,
				LockOptions.builder().leaseTime(Duration.ofMillis(100)).autoRenew(false).build());
		Lease second = elsewhere(
				() -> this.template.acquire(USER_42, LockOptions.builder().waitTime(Duration.ofSeconds(10)).build()));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(this.store).hasNoOverlaps())
			.withMessageStartingWith("Expected the holders of each lock to take turns, but 1 pair overlapped:\n"
					+ "  lock 'token_refresh:42' was granted with fencing token " + second.fencingToken())
			.withMessageContaining("still held");
		first.close();
		elsewhere(() -> {
			second.close();
			return null;
		});
	}

	@Test
	void hasNoLocksHeldListsWhatIsStillHeld() {
		lock(USER_7);
		assertThat(this.store).hasNoLocksHeld();
		try (Lease held = this.template.acquire(USER_42, FAIL_FAST)) {
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(this.store).hasNoLocksHeld())
				.withMessageStartingWith("Expected every lock to have been released, but 1 still held:\n"
						+ "  'token_refresh:42' (fencing token " + held.fencingToken());
		}
		assertThat(this.store).hasNoLocksHeld();
	}

	@Test
	void acquisitionsOfContinuesWithTheKeysAcquisitions() {
		lock(USER_42);
		lock(USER_42);
		assertThat(this.store).acquisitionsOf(USER_42)
			.hasSize(2)
			.extracting(RecordedAcquisition::fencingToken)
			.isSortedAccordingTo(Long::compare);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.store).acquisitionsOf(USER_42).hasSize(3))
			.withMessageContaining("[acquisitions of lock 'token_refresh:42']");
	}

	@Test
	void aDescriptionPrefixesTheMessageAndPercentSignsInKeysAreKept() {
		LockKey percent = LockKey.of("discount", "100%");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.store).as("after checkout").hasLocked(percent))
			.withMessageStartingWith("[after checkout] Expected lock 'discount:100%' to have been acquired")
			.withMessageEndingWith("Nothing was acquired.");
	}

	private void lock(LockKey key) {
		this.template.execute(key, FAIL_FAST, () -> null);
	}

	private static <T> T elsewhere(Callable<T> call) throws Exception {
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try {
			return thread.submit(call).get(30, TimeUnit.SECONDS);
		}
		finally {
			thread.shutdownNow();
		}
	}

}
