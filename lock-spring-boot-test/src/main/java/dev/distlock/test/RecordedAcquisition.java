package dev.distlock.test;

import java.time.Duration;
import java.time.Instant;

import dev.distlock.core.LockKey;
import org.jspecify.annotations.Nullable;

/**
 * One acquisition of a lock as a {@link RecordingLockStore} saw it: from the store's
 * answer that it was acquired to the holder's request to release it.
 *
 * @param key the lock key
 * @param fencingToken the fencing token the store handed out
 * @param acquiredAt when the store answered that the lock was acquired
 * @param endedAt when the holding ended, or {@code null} while it is held
 * @param ending how the holding ended, or {@code null} while it is held
 * @param lost whether a renewal or the release found that the store no longer held the
 * lock for this holder: its lease had expired, and another holder may have taken it
 * @author Distributed Lock team
 */
public record RecordedAcquisition(LockKey key, long fencingToken, Instant acquiredAt, @Nullable Instant endedAt,
		@Nullable Ending ending, boolean lost) {

	/**
	 * Return whether the lock is still held by this holder, as far as it knows.
	 * @return whether the holding has not ended
	 */
	public boolean isHeld() {
		return this.ending == null;
	}

	/**
	 * Return how long the lock was held, or has been held so far.
	 * @return the time from acquisition to the end of the holding, or to now
	 */
	public Duration heldFor() {
		return Duration.between(this.acquiredAt, (this.endedAt != null) ? this.endedAt : Instant.now());
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("'").append(this.key)
			.append("' (fencing token ")
			.append(this.fencingToken)
			.append(", acquired at ")
			.append(this.acquiredAt);
		if (this.ending == null) {
			text.append(", still held");
		}
		else {
			text.append(", ").append(this.ending.description).append(" at ").append(this.endedAt);
		}
		if (this.lost) {
			text.append(", lost in the store before that");
		}
		return text.append(')').toString();
	}

	/**
	 * How a recorded holding ended.
	 */
	public enum Ending {

		/** Its holder released it. */
		RELEASED("released"),

		/**
		 * The template gave it back because its caller had gone before the store's answer
		 * came (cancelled, timed out, or the application was shutting down).
		 */
		ABANDONED("abandoned"),

		/** An operator force-released the key (the actuator endpoint's delete). */
		FORCE_RELEASED("force-released");

		private final String description;

		Ending(String description) {
			this.description = description;
		}

	}

}
