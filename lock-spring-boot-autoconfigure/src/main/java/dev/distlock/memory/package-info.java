/**
 * In-memory lock store, local to one JVM.
 */
@NullMarked
package dev.distlock.memory;

import org.jspecify.annotations.NullMarked;
