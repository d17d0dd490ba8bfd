/**
 * Sample application of the distributed lock starter.
 */
@NullMarked
package dev.distlock.sample;

import org.jspecify.annotations.NullMarked;
