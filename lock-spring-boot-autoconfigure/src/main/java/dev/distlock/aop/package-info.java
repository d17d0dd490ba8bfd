/**
 * The advisor and interceptor that run `@DistributedLock` methods under a lock.
 */
@NullMarked
package dev.distlock.aop;

import org.jspecify.annotations.NullMarked;
