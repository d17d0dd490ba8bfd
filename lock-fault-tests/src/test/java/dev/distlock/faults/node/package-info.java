/**
 * The application that the fault tests run as separate JVM processes.
 */
@NullMarked
package dev.distlock.faults.node;

import org.jspecify.annotations.NullMarked;
