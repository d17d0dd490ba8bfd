package dev.distlock.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A waiter's interest in the release of one lock, from {@link LockStore#subscribe}.
 *
 * @author Distributed Lock team
 */
public interface WaitSubscription extends AutoCloseable {

	/**
	 * A subscription that never calls back: the waiter relies on timed retries.
	 */
	WaitSubscription NONE = new WaitSubscription() {

		@Override
		public CompletionStage<Void> ready() {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void close() {
		}

	};

	/**
	 * Return a stage that completes once releases are announced to this subscription (for
	 * example when the store confirmed a subscription to a channel). An attempt made
	 * after that cannot miss the announcement of a release that follows it. It completes
	 * normally also when the subscription could not be made: the waiter then relies on
	 * timed retries.
	 * @return the stage
	 */
	CompletionStage<Void> ready();

	/**
	 * End the subscription. Idempotent.
	 */
	@Override
	void close();

}
