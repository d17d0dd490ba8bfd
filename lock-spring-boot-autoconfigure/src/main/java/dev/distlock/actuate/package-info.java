/**
 * Actuator support for distributed locks: the {@code distributedlocks} endpoint and the
 * {@code distributedLock} health indicator.
 */
@NullMarked
package dev.distlock.actuate;

import org.jspecify.annotations.NullMarked;
