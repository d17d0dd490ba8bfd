package dev.distlock.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * One attempt to take a lock and, when it succeeded, the hold that followed. Passed to
 * every {@link LockListener} callback of that attempt, so that a listener can keep its
 * own state (a timer sample, an observation) in {@link #setAttribute attributes} instead
 * of a map of its own.
 *
 * @author Distributed Lock team
 */
public final class LockAttempt {

	private final LockKey key;

	private final String store;

	private final LockSettings.Resolved settings;

	private final boolean blocking;

	private final long startNanos = System.nanoTime();

	/** Made by the first listener that stores something: most attempts have none. */
	private volatile @Nullable Map<String, Object> attributes;

	LockAttempt(LockKey key, String store, LockSettings.Resolved settings, boolean blocking) {
		this.key = key;
		this.store = store;
		this.settings = settings;
		this.blocking = blocking;
	}

	/**
	 * Return the key being locked. Never use it as a metric tag: keys are per argument.
	 * @return the key
	 */
	public LockKey key() {
		return this.key;
	}

	/**
	 * Return the lock's namespace, a low-cardinality name suitable for tags.
	 * @return the namespace
	 */
	public String namespace() {
		return this.key.namespace();
	}

	/**
	 * Return the store kind, such as {@code redis}.
	 * @return the store kind
	 */
	public String store() {
		return this.store;
	}

	/**
	 * Return how the lock is taken: wait and lease time, renewal, fairness.
	 * @return the resolved settings of this lock
	 */
	public LockSettings.Resolved settings() {
		return this.settings;
	}

	/**
	 * Return whether the caller waits for the outcome on its own thread ({@code execute},
	 * {@code acquire}, {@code tryAcquire}). Only then do the callbacks up to the outcome
	 * run on the thread that started the attempt; an asynchronous attempt may end on a
	 * store's or the timer's thread, so a listener must not leave thread-bound state
	 * (such as an observation scope) open for it.
	 * @return whether the attempt blocks its caller
	 */
	public boolean isBlocking() {
		return this.blocking;
	}

	/**
	 * Return the time since the attempt started.
	 * @return the elapsed time
	 */
	public Duration elapsed() {
		return Duration.ofNanos(System.nanoTime() - this.startNanos);
	}

	/**
	 * Return an attribute a listener stored.
	 * @param name the attribute name
	 * @param <T> the attribute type
	 * @return the value, or {@code null}
	 */
	@SuppressWarnings("unchecked")
	public <T> @Nullable T getAttribute(String name) {
		Map<String, Object> stored = this.attributes;
		return (stored != null) ? (T) stored.get(name) : null;
	}

	/**
	 * Store an attribute for later callbacks of this attempt.
	 * @param name the attribute name; prefix it with the listener's own name
	 * @param value the value
	 */
	public void setAttribute(String name, Object value) {
		Map<String, Object> stored = this.attributes;
		if (stored == null) {
			synchronized (this) {
				stored = this.attributes;
				if (stored == null) {
					stored = new ConcurrentHashMap<>(4);
					this.attributes = stored;
				}
			}
		}
		stored.put(name, value);
	}

}
