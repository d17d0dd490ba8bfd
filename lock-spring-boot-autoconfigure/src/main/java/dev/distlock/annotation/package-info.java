/**
 * The `@DistributedLock` annotation and its options.
 */
@NullMarked
package dev.distlock.annotation;

import org.jspecify.annotations.NullMarked;
