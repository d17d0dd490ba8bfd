/**
 * Auto-configuration of the distributedlocks actuator endpoint.
 */
@NullMarked
package dev.distlock.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
