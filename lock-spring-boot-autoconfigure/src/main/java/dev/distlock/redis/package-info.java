/**
 * The Redis lock store, on the application's Spring Data Redis connection factory.
 */
@NullMarked
package dev.distlock.redis;

import org.jspecify.annotations.NullMarked;
