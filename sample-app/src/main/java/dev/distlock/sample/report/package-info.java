/**
 * Scenario: compute a long report once while concurrent requests wait for it, and
 * throttle refreshes.
 */
@NullMarked
package dev.distlock.sample.report;

import org.jspecify.annotations.NullMarked;
