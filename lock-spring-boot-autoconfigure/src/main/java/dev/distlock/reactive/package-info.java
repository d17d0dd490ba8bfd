/**
 * Reactor support: locks held while a {@code Mono} or {@code Flux} runs, without blocking
 * a thread.
 */
@NullMarked
package dev.distlock.reactive;

import org.jspecify.annotations.NullMarked;
