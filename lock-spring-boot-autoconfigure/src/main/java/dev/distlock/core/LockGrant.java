package dev.distlock.core;

import java.time.Instant;

/**
 * What a {@link LockRegistry} returns for a successful acquire.
 *
 * @param fencingToken the new holder's fencing token, greater than every earlier token
 * for the key
 * @param expiresAt when the lease ends unless renewed (an estimate for stores whose clock
 * is not this JVM's)
 * @author Distributed Lock team
 */
public record LockGrant(long fencingToken, Instant expiresAt) {

}
