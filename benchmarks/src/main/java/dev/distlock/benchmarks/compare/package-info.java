/**
 * Side-by-side comparison of this project's lock stores with a raw floor and with other
 * lock libraries on the same Redis, PostgreSQL and MariaDB servers.
 */
@NullMarked
package dev.distlock.benchmarks.compare;

import org.jspecify.annotations.NullMarked;
