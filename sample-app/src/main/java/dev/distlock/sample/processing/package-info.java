/**
 * Scenario: process a table of a database, locked on both parameters.
 */
@NullMarked
package dev.distlock.sample.processing;

import org.jspecify.annotations.NullMarked;
