package dev.distlock.core;

import java.time.Instant;

/**
 * A snapshot of one lock this instance holds, for operators (the {@code distributedlocks}
 * actuator endpoint).
 *
 * @param namespace the lock's namespace
 * @param key the key's readable form
 * @param fencingToken the holder's fencing token
 * @param acquiredAt when it was acquired
 * @param expiresAt when its lease ends unless renewed
 * @param holderThread the name of the thread that acquired it
 * @author Distributed Lock team
 */
public record HeldLock(String namespace, String key, long fencingToken, Instant acquiredAt, Instant expiresAt,
		String holderThread) {

}
