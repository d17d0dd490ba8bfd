/**
 * The fault suite: scenarios with holders in separate processes, private servers and a
 * fault proxy.
 */
@NullMarked
package dev.distlock.faults;

import org.jspecify.annotations.NullMarked;
