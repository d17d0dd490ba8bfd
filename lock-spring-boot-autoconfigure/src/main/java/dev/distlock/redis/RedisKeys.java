package dev.distlock.redis;

import dev.distlock.core.InvalidLockKeyException;
import dev.distlock.core.LockKey;
import org.jspecify.annotations.Nullable;

/**
 * The Redis keys of a lock: {@code <prefix>{<key>}} and its companions, which share its
 * hash tag and so its Redis Cluster slot.
 *
 * @param prefix the prefix, such as {@code lock:}
 * @author Distributed Lock team
 */
record RedisKeys(String prefix) {

	String lock(LockKey key) {
		return this.prefix + "{" + key.asString() + "}";
	}

	@Nullable LockKey parse(String lockKey) {
		if (!lockKey.startsWith(this.prefix + "{") || !lockKey.endsWith("}")) {
			return null;
		}
		try {
			return LockKey.parse(lockKey.substring(this.prefix.length() + 1, lockKey.length() - 1));
		}
		catch (InvalidLockKeyException ex) {
			return null;
		}
	}

	static String fence(String lockKey) {
		return lockKey + ":fence";
	}

	static String queue(String lockKey) {
		return lockKey + ":queue";
	}

	static String expiry(String lockKey) {
		return lockKey + ":expiry";
	}

	static String woken(String lockKey) {
		return lockKey + ":woken";
	}

	static String candidates(String lockKey) {
		return lockKey + ":next";
	}

	static String handed(String lockKey) {
		return lockKey + ":handed";
	}

}
