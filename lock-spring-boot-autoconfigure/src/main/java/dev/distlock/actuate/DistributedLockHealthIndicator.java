package dev.distlock.actuate;

import java.util.Objects;

import dev.distlock.core.LockRegistry;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A {@link HealthIndicator} for the lock store: UP when it answers and is ready for locks
 * (Redis answers PING; the JDBC lock table exists and is readable), DOWN with the reason
 * otherwise. The {@code store} detail names the store kind.
 *
 * @author Distributed Lock team
 * @see LockRegistry#checkAvailability()
 */
public class DistributedLockHealthIndicator extends AbstractHealthIndicator {

	private final LockRegistry registry;

	/**
	 * Create an indicator for the given store.
	 * @param registry the lock store
	 */
	public DistributedLockHealthIndicator(LockRegistry registry) {
		super("Lock store health check failed");
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("store", this.registry.storeName());
		this.registry.checkAvailability();
		builder.up();
	}

}
