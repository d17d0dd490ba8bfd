/**
 * JMH microbenchmarks of what the library adds in the caller's thread: the advice, key
 * evaluation and the template, on the in-memory store.
 */
@NullMarked
package dev.distlock.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
