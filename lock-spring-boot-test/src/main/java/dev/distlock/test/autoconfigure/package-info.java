/**
 * Auto-configuration for tests of code that uses distributed locks: the lock
 * auto-configuration in Spring Boot's test slices, and the recording store.
 */
@NullMarked
package dev.distlock.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
