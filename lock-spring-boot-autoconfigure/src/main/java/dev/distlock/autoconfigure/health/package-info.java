/**
 * Auto-configuration of the lock store's health contributor.
 */
@NullMarked
package dev.distlock.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
