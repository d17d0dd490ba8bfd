/**
 * Scenario: a write guarded by the lock's fencing token, so a stale holder's write is
 * rejected.
 */
@NullMarked
package dev.distlock.sample.inventory;

import org.jspecify.annotations.NullMarked;
