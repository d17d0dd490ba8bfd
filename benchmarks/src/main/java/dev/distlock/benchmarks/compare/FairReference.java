package dev.distlock.benchmarks.compare;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * A reference for the hot-key scenario's waits, not a lock library: one fair
 * {@link ReentrantLock} per key shared by the nodes of one JVM, whose release makes one
 * round trip to the store before it unlocks. Waiters are served strictly in arrival
 * order, woken by the JVM directly, and a hand-off costs one round trip, as a hand-off of
 * a distributed lock does at best. What is left in its longest wait is what this
 * machine's scheduler and the store's answers add to a perfect queue.
 *
 * @author Distributed Lock team
 */
final class FairReference implements LockClient {

	/** The name of the contender. */
	static final String NAME = "reference: fair in-JVM lock, one store round trip per hand-off";

	private final Map<String, ReentrantLock> locks;

	private final RoundTrip roundTrip;

	/**
	 * Create one node.
	 * @param locks the locks, shared by the nodes of one contender
	 * @param roundTrip this node's round trip to the store
	 */
	FairReference(Map<String, ReentrantLock> locks, RoundTrip roundTrip) {
		this.locks = locks;
		this.roundTrip = roundTrip;
	}

	/**
	 * Return the locks for the nodes of one contender to share.
	 * @return an empty map
	 */
	static Map<String, ReentrantLock> sharedLocks() {
		return new ConcurrentHashMap<>();
	}

	@Override
	public @Nullable Held tryAcquire(String key, Duration waitTime) throws Exception {
		ReentrantLock lock = this.locks.computeIfAbsent(key, (k) -> new ReentrantLock(true));
		if (!lock.tryLock(waitTime.toNanos(), TimeUnit.NANOSECONDS)) {
			return null;
		}
		return () -> {
			try {
				this.roundTrip.run();
			}
			finally {
				lock.unlock();
			}
		};
	}

	@Override
	public void close() {
		this.roundTrip.close();
	}

	/**
	 * One round trip to the store on a node's own connection.
	 */
	@FunctionalInterface
	interface RoundTrip extends AutoCloseable {

		/**
		 * Make the round trip.
		 * @throws Exception if the store failed
		 */
		void run() throws Exception;

		@Override
		default void close() {
		}

	}

}
