/**
 * Asynchronous locked methods: a {@code CompletableFuture} service and a Reactor
 * {@code Mono} service, in a Spring MVC application (no WebFlux needed).
 */
@NullMarked
package dev.distlock.sample.async;

import org.jspecify.annotations.NullMarked;
