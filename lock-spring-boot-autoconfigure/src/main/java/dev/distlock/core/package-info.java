/**
 * Lock API: keys, options, leases, the lock template and the store SPI.
 */
@NullMarked
package dev.distlock.core;

import org.jspecify.annotations.NullMarked;
