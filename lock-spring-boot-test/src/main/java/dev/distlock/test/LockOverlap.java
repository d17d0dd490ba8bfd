package dev.distlock.test;

import dev.distlock.core.LockKey;

/**
 * Two holders of one key whose holdings overlapped: the later one was granted the lock
 * before the earlier one ended. Usually the earlier holder's lease expired in the store
 * while it was still working ({@link RecordedAcquisition#lost()} then says so).
 *
 * @param earlier the holding that was granted first
 * @param later the holding that was granted while the earlier one had not ended
 * @author Distributed Lock team
 */
public record LockOverlap(RecordedAcquisition earlier, RecordedAcquisition later) {

	/**
	 * Return the key both held.
	 * @return the lock key
	 */
	public LockKey key() {
		return this.earlier.key();
	}

	@Override
	public String toString() {
		return "lock '" + key() + "' was granted with fencing token " + this.later.fencingToken() + " at "
				+ this.later.acquiredAt() + " while the holder with fencing token " + this.earlier.fencingToken()
				+ " had not ended: " + this.earlier + ", then " + this.later;
	}

}
