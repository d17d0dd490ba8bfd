/**
 * Private Redis, PostgreSQL and MariaDB servers that the fault suite starts, kills and
 * restarts.
 */
@NullMarked
package dev.distlock.faults.servers;

import org.jspecify.annotations.NullMarked;
