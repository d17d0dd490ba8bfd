package dev.distlock.benchmarks.compare;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * What the non-blocking adapters share: the section's type as each library wants it, and
 * its outcome as the scenarios want it.
 *
 * @author Distributed Lock team
 */
final class AsyncSections {

	private AsyncSections() {
	}

	/**
	 * Return a section typed as a library's generic method wants it.
	 * @param section the section
	 * @return the same section
	 */
	@SuppressWarnings("unchecked")
	static Supplier<CompletionStage<@Nullable Object>> untyped(Supplier<? extends CompletionStage<?>> section) {
		// The value is never used: only when the work is done.
		return (Supplier<CompletionStage<@Nullable Object>>) (Supplier<?>) section;
	}

	/**
	 * Start a section, turning what it throws into a failed stage.
	 * @param section the section
	 * @return its stage
	 */
	static CompletionStage<?> start(Supplier<? extends CompletionStage<?>> section) {
		try {
			return section.get();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Return the cause of a failure that a stage wrapped.
	 * @param failure the failure
	 * @return its cause
	 */
	static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/**
	 * Rethrow a failure from a stage's callback.
	 * @param failure the failure
	 * @return never
	 */
	static CompletionException rethrow(Throwable failure) {
		return (failure instanceof CompletionException completion) ? completion
				: new CompletionException(unwrap(failure));
	}

}
