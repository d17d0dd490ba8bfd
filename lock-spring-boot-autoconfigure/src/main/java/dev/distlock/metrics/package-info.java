/**
 * Micrometer observations and meters for distributed locks, bound as
 * {@link dev.distlock.core.LockListener lock listeners}.
 */
@NullMarked
package dev.distlock.metrics;

import org.jspecify.annotations.NullMarked;
