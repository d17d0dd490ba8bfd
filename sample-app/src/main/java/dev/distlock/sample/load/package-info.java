/**
 * A load command that fires concurrent requests at one or more instances and counts lock
 * outcomes.
 */
@NullMarked
package dev.distlock.sample.load;

import org.jspecify.annotations.NullMarked;
