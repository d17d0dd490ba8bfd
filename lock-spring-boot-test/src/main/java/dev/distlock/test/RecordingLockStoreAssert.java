package dev.distlock.test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import dev.distlock.core.LockKey;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * AssertJ assertions on what a {@link RecordingLockStore} recorded:
 *
 * <pre class="code">
 * import static dev.distlock.test.RecordingLockStoreAssert.assertThat;
 *
 * assertThat(locks).hasLocked(LockKey.of("token_refresh", 42), 1)
 *     .hasNotAcquired(LockKey.of("token_refresh", 42), 1)
 *     .hasNoOverlaps()
 *     .hasNoLocksHeld();
 * </pre>
 *
 * The static {@code assertThat} can be imported beside AssertJ's
 * {@code Assertions.assertThat}: for a {@code RecordingLockStore} it is the more specific
 * overload. A failure message lists what was recorded.
 *
 * @author Distributed Lock team
 */
public class RecordingLockStoreAssert extends AbstractAssert<RecordingLockStoreAssert, RecordingLockStore> {

	/**
	 * Create assertions on a recording store.
	 * @param actual the store
	 */
	public RecordingLockStoreAssert(RecordingLockStore actual) {
		super(actual, RecordingLockStoreAssert.class);
	}

	/**
	 * Start assertions on a recording store.
	 * @param actual the store
	 * @return the assertions
	 */
	public static RecordingLockStoreAssert assertThat(RecordingLockStore actual) {
		return new RecordingLockStoreAssert(actual);
	}

	/**
	 * Verify that a key was acquired at least once.
	 * @param key the lock key
	 * @return {@code this}
	 */
	public RecordingLockStoreAssert hasLocked(LockKey key) {
		isNotNull();
		Objects.requireNonNull(key, "key must not be null");
		if (this.actual.acquisitionCount(key) == 0) {
			fail("Expected lock '" + key + "' to have been acquired, but it was not. " + recorded());
		}
		return this;
	}

	/**
	 * Verify that a key was acquired exactly so many times.
	 * @param key the lock key
	 * @param times the expected number of acquisitions
	 * @return {@code this}
	 */
	public RecordingLockStoreAssert hasLocked(LockKey key, int times) {
		isNotNull();
		Objects.requireNonNull(key, "key must not be null");
		int count = this.actual.acquisitionCount(key);
		if (count != times) {
			fail("Expected lock '" + key + "' to have been acquired " + times(times) + ", but it was acquired "
					+ times(count) + ". " + recorded());
		}
		return this;
	}

	/**
	 * Verify that a key was never acquired.
	 * @param key the lock key
	 * @return {@code this}
	 */
	public RecordingLockStoreAssert hasNotLocked(LockKey key) {
		isNotNull();
		Objects.requireNonNull(key, "key must not be null");
		int count = this.actual.acquisitionCount(key);
		if (count != 0) {
			fail("Expected lock '" + key + "' not to have been acquired, but it was acquired " + times(count) + ". "
					+ recorded());
		}
		return this;
	}

	/**
	 * Verify that the acquired keys are exactly these, in any order and however often
	 * each.
	 * @param keys the expected keys
	 * @return {@code this}
	 */
	public RecordingLockStoreAssert hasLockedOnly(LockKey... keys) {
		isNotNull();
		Set<LockKey> expected = new LinkedHashSet<>(Arrays.asList(keys));
		Set<LockKey> locked = this.actual.lockedKeys();
		if (!locked.equals(expected)) {
			Set<LockKey> missing = new LinkedHashSet<>(expected);
			missing.removeAll(locked);
			Set<LockKey> unexpected = new LinkedHashSet<>(locked);
			unexpected.removeAll(expected);
			fail("Expected only " + quoted(expected) + " to have been acquired, but "
					+ (missing.isEmpty() ? "" : quoted(missing) + " were not")
					+ ((!missing.isEmpty() && !unexpected.isEmpty()) ? " and " : "")
					+ (unexpected.isEmpty() ? "" : quoted(unexpected) + " were too") + ". " + recorded());
		}
		return this;
	}

	/**
	 * Verify that the keys of a namespace were acquired exactly so many times in all.
	 * @param namespace the namespace, such as {@code token_refresh}
	 * @param times the expected number of acquisitions of its keys
	 * @return {@code this}
	 */
	public RecordingLockStoreAssert hasLockedInNamespace(String namespace, int times) {
		isNotNull();
		Objects.requireNonNull(namespace, "namespace must not be null");
		int count = this.actual.acquisitionsInNamespace(namespace).size();
		if (count != times) {
			fail("Expected the locks of namespace '" + namespace + "' to have been acquired " + times(times)
					+ ", but they were acquired " + times(count) + ". " + recorded());
		}
		return this;
	}

	/**
	 * Verify that so many acquisitions of a key found it held by another owner and did
	 * not get it (see {@link RecordingLockStore#notAcquiredCount(LockKey)}).
	 * @param key the lock key
	 * @param times the expected number of refused acquisitions
	 * @return {@code this}
	 */
	public RecordingLockStoreAssert hasNotAcquired(LockKey key, int times) {
		isNotNull();
		Objects.requireNonNull(key, "key must not be null");
		int count = this.actual.notAcquiredCount(key);
		if (count != times) {
			fail("Expected lock '" + key + "' to have been refused " + times(times) + " (held by another owner), "
					+ "but it was refused " + times(count) + ". " + recorded());
		}
		return this;
	}

	/**
	 * Verify that no two holders of any key overlapped: each was granted the lock only
	 * after the previous holder had ended.
	 * @return {@code this}
	 */
	public RecordingLockStoreAssert hasNoOverlaps() {
		isNotNull();
		List<LockOverlap> overlaps = this.actual.overlaps();
		if (!overlaps.isEmpty()) {
			fail("Expected the holders of each lock to take turns, but " + overlaps.size()
					+ ((overlaps.size() == 1) ? " pair" : " pairs") + " overlapped:"
					+ overlaps.stream().map((overlap) -> "\n  " + overlap).collect(Collectors.joining()));
		}
		return this;
	}

	/**
	 * Verify that every acquired lock was released (or otherwise given back).
	 * @return {@code this}
	 */
	public RecordingLockStoreAssert hasNoLocksHeld() {
		isNotNull();
		List<RecordedAcquisition> held = this.actual.held();
		if (!held.isEmpty()) {
			fail("Expected every lock to have been released, but " + held.size() + " still held:"
					+ held.stream().map((holding) -> "\n  " + holding).collect(Collectors.joining()));
		}
		return this;
	}

	/**
	 * Continue with assertions on the acquisitions of one key, in the order they were
	 * granted.
	 * @param key the lock key
	 * @return assertions on the key's acquisitions
	 */
	public ListAssert<RecordedAcquisition> acquisitionsOf(LockKey key) {
		isNotNull();
		return Assertions.assertThat(this.actual.acquisitions(key)).as("acquisitions of lock '%s'", key);
	}

	private void fail(String message) {
		// Keys may contain '%': never let the message be read as a format.
		failWithMessage("%s", message);
	}

	private String recorded() {
		List<RecordedAcquisition> acquisitions = this.actual.acquisitions();
		if (acquisitions.isEmpty()) {
			return "Nothing was acquired.";
		}
		Map<LockKey, Long> counts = acquisitions.stream()
			.collect(Collectors.groupingBy(RecordedAcquisition::key, LinkedHashMap::new, Collectors.counting()));
		return "Acquired: " + counts.entrySet()
			.stream()
			.map((entry) -> "'" + entry.getKey() + "' " + times(entry.getValue().intValue()))
			.collect(Collectors.joining(", ")) + ".";
	}

	private static String quoted(Set<LockKey> keys) {
		return keys.stream().map((key) -> "'" + key + "'").collect(Collectors.joining(", ", "[", "]"));
	}

	private static String times(int count) {
		return (count == 1) ? "once" : count + " times";
	}

}
