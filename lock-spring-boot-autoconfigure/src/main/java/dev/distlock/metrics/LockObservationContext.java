package dev.distlock.metrics;

import java.util.Objects;

import dev.distlock.core.LockKey;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What a lock observation knows: the key, the store and, once known, the outcome. The key
 * is here for custom conventions and handlers; the default conventions never turn it into
 * a key value.
 *
 * @author Distributed Lock team
 * @see LockAcquisitionContext
 * @see LockHoldContext
 */
public abstract class LockObservationContext extends Observation.Context {

	private final LockKey key;

	private final String store;

	private volatile @Nullable String outcome;

	/**
	 * Create a context.
	 * @param key the lock key
	 * @param store the store kind
	 */
	protected LockObservationContext(LockKey key, String store) {
		this.key = Objects.requireNonNull(key, "key must not be null");
		this.store = Objects.requireNonNull(store, "store must not be null");
	}

	/**
	 * Return the lock key. Never use it as a low-cardinality key value: keys are per
	 * argument.
	 * @return the key
	 */
	public LockKey getKey() {
		return this.key;
	}

	/**
	 * Return the lock's namespace.
	 * @return the namespace
	 */
	public String getNamespace() {
		return this.key.namespace();
	}

	/**
	 * Return the store kind, such as {@code redis}.
	 * @return the store kind
	 */
	public String getStore() {
		return this.store;
	}

	/**
	 * Return the outcome, once known.
	 * @return the outcome, or {@code null} while the observation runs
	 */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	/**
	 * Set the outcome.
	 * @param outcome the outcome
	 */
	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

}
