/**
 * Auto-configuration of lock metrics and observations.
 */
@NullMarked
package dev.distlock.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
