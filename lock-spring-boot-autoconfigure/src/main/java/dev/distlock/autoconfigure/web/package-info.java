/**
 * Auto-configuration of how web applications answer a lock that was not acquired.
 */
@NullMarked
package dev.distlock.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
