/**
 * Entry point of the benchmarks: JMH microbenchmarks and the side-by-side comparison.
 */
@NullMarked
package dev.distlock.benchmarks;

import org.jspecify.annotations.NullMarked;
