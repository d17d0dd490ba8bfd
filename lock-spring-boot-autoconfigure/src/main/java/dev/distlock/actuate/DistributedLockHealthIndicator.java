package dev.distlock.actuate;

import java.util.Objects;

import dev.distlock.core.LockStore;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A {@link HealthIndicator} for the lock store: UP when it answers and is ready for locks
 * (Redis answers PING; the JDBC lock table exists and is readable), DOWN with the reason
 * otherwise. The {@code store} detail names the store kind.
 *
 * @author Distributed Lock team
 * @see LockStore#checkAvailability()
 */
public class DistributedLockHealthIndicator extends AbstractHealthIndicator {

	private final LockStore store;

	/**
	 * Create an indicator for the given store.
	 * @param store the lock store
	 */
	public DistributedLockHealthIndicator(LockStore store) {
		super("Lock store health check failed");
		this.store = Objects.requireNonNull(store, "store must not be null");
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("store", this.store.storeName());
		this.store.checkAvailability();
		builder.up();
	}

}
