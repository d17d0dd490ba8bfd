/**
 * Test kit for code that uses distributed locks: a lock store that records what was
 * locked, and assertions on it.
 */
@NullMarked
package dev.distlock.test;

import org.jspecify.annotations.NullMarked;
