package dev.distlock.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The configured defaults that {@link LockTemplate} applies to {@link LockOptions} left
 * unset: global values, and per-namespace overrides so that operators can tune one lock
 * family without recompiling. Immutable. Spring Boot builds it from
 * {@code distributed-lock.*}.
 *
 * @author Distributed Lock team
 */
public final class LockSettings {

	private final Duration waitTime;

	private final Duration leaseTime;

	private final boolean autoRenew;

	private final boolean reentrant;

	private final LeaseLostPolicy leaseLostPolicy;

	private final Map<String, NamespaceOverrides> namespaces;

	private LockSettings(Builder builder) {
		this.waitTime = builder.waitTime;
		this.leaseTime = builder.leaseTime;
		this.autoRenew = builder.autoRenew;
		this.reentrant = builder.reentrant;
		this.leaseLostPolicy = builder.leaseLostPolicy;
		this.namespaces = Map.copyOf(builder.namespaces);
	}

	/**
	 * Return the library's defaults: no waiting, a 30 second lease, auto-renew on,
	 * reentrant, lost leases logged.
	 * @return the default settings
	 */
	public static LockSettings defaults() {
		return builder().build();
	}

	/**
	 * Start building settings from the library's defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return whether a thread that holds a key may enter another section locked on the
	 * same key without a store round trip.
	 * @return whether locks are reentrant
	 */
	public boolean isReentrant() {
		return this.reentrant;
	}

	/**
	 * Return what the caller sees when a lease was lost while held.
	 * @return the lost-lease policy
	 */
	public LeaseLostPolicy getLeaseLostPolicy() {
		return this.leaseLostPolicy;
	}

	/**
	 * Apply these defaults to options for a namespace: explicit options first, then the
	 * namespace's overrides, then the global defaults.
	 * @param namespace the lock namespace
	 * @param options the options given for one lock
	 * @return options with every value set ({@code lockAtLeastFor} zero when unset)
	 */
	public LockOptions resolve(String namespace, LockOptions options) {
		NamespaceOverrides overrides = this.namespaces.get(namespace);
		LockOptions.Builder builder = LockOptions.builder();
		builder
			.waitTime(first(options.getWaitTime(), (overrides != null) ? overrides.waitTime() : null, this.waitTime));
		builder.leaseTime(
				first(options.getLeaseTime(), (overrides != null) ? overrides.leaseTime() : null, this.leaseTime));
		builder.autoRenew(
				first(options.getAutoRenew(), (overrides != null) ? overrides.autoRenew() : null, this.autoRenew));
		builder.lockAtLeastFor(Objects.requireNonNullElse(options.getLockAtLeastFor(), Duration.ZERO));
		return builder.build();
	}

	private static <T> T first(@Nullable T explicit, @Nullable T override, T fallback) {
		if (explicit != null) {
			return explicit;
		}
		return (override != null) ? override : fallback;
	}

	/**
	 * Per-namespace overrides; {@code null} values fall back to the global defaults.
	 *
	 * @param waitTime the namespace's wait time, or {@code null}
	 * @param leaseTime the namespace's lease time, or {@code null}
	 * @param autoRenew whether the namespace's leases are renewed, or {@code null}
	 */
	public record NamespaceOverrides(@Nullable Duration waitTime, @Nullable Duration leaseTime,
			@Nullable Boolean autoRenew) {

		/**
		 * Validate the overrides.
		 * @param waitTime the namespace's wait time, or {@code null}
		 * @param leaseTime the namespace's lease time, or {@code null}
		 * @param autoRenew whether the namespace's leases are renewed, or {@code null}
		 */
		public NamespaceOverrides {
			if (waitTime != null) {
				LockOptions.requireNotNegative(waitTime, "waitTime");
			}
			if (leaseTime != null) {
				LockOptions.requirePositive(leaseTime, "leaseTime");
			}
		}

	}

	/**
	 * Builder of {@link LockSettings}.
	 */
	public static final class Builder {

		private Duration waitTime = Duration.ZERO;

		private Duration leaseTime = Duration.ofSeconds(30);

		private boolean autoRenew = true;

		private boolean reentrant = true;

		private LeaseLostPolicy leaseLostPolicy = LeaseLostPolicy.LOG;

		private final Map<String, NamespaceOverrides> namespaces = new HashMap<>();

		private Builder() {
		}

		/**
		 * Set the default wait time.
		 * @param waitTime the wait time, not negative
		 * @return this builder
		 */
		public Builder waitTime(Duration waitTime) {
			this.waitTime = LockOptions.requireNotNegative(waitTime, "waitTime");
			return this;
		}

		/**
		 * Set the default lease time.
		 * @param leaseTime the lease time, positive
		 * @return this builder
		 */
		public Builder leaseTime(Duration leaseTime) {
			this.leaseTime = LockOptions.requirePositive(leaseTime, "leaseTime");
			return this;
		}

		/**
		 * Set whether leases are renewed by default.
		 * @param autoRenew whether to renew
		 * @return this builder
		 */
		public Builder autoRenew(boolean autoRenew) {
			this.autoRenew = autoRenew;
			return this;
		}

		/**
		 * Set whether locks are reentrant per thread.
		 * @param reentrant whether to allow reentry
		 * @return this builder
		 */
		public Builder reentrant(boolean reentrant) {
			this.reentrant = reentrant;
			return this;
		}

		/**
		 * Set what the caller sees when a lease was lost.
		 * @param leaseLostPolicy the policy
		 * @return this builder
		 */
		public Builder leaseLostPolicy(LeaseLostPolicy leaseLostPolicy) {
			this.leaseLostPolicy = Objects.requireNonNull(leaseLostPolicy, "leaseLostPolicy must not be null");
			return this;
		}

		/**
		 * Set overrides for one namespace.
		 * @param namespace the namespace
		 * @param overrides its overrides
		 * @return this builder
		 */
		public Builder namespace(String namespace, NamespaceOverrides overrides) {
			this.namespaces.put(namespace, overrides);
			return this;
		}

		/**
		 * Build the settings.
		 * @return the settings
		 */
		public LockSettings build() {
			return new LockSettings(this);
		}

	}

}
