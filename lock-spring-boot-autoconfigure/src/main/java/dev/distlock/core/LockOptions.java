package dev.distlock.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How one lock is taken: wait time, lease time, renewal and minimum hold time. Immutable.
 * Whatever is left unset takes the configured default for the key's namespace
 * ({@code distributed-lock.namespaces.<name>.*}, then {@code distributed-lock.*}).
 *
 * <pre class="code">
 * LockOptions options = LockOptions.builder().waitTime(Duration.ofSeconds(5)).build();
 * </pre>
 *
 * @author Distributed Lock team
 */
public final class LockOptions {

	private static final LockOptions DEFAULTS = new LockOptions(builder());

	private final @Nullable Duration waitTime;

	private final @Nullable Duration leaseTime;

	private final @Nullable Boolean autoRenew;

	private final @Nullable Duration lockAtLeastFor;

	private LockOptions(Builder builder) {
		this.waitTime = builder.waitTime;
		this.leaseTime = builder.leaseTime;
		this.autoRenew = builder.autoRenew;
		this.lockAtLeastFor = builder.lockAtLeastFor;
	}

	/**
	 * Return options that leave everything to the configured defaults.
	 * @return the default options
	 */
	public static LockOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Start building options.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return how long to wait for a held lock, or {@code null} for the default.
	 * @return the wait time
	 */
	public @Nullable Duration getWaitTime() {
		return this.waitTime;
	}

	/**
	 * Return how long the store keeps the lock if its holder vanishes, or {@code null}
	 * for the default.
	 * @return the lease time
	 */
	public @Nullable Duration getLeaseTime() {
		return this.leaseTime;
	}

	/**
	 * Return whether the lease is renewed while held, or {@code null} for the default.
	 * @return whether to renew
	 */
	public @Nullable Boolean getAutoRenew() {
		return this.autoRenew;
	}

	/**
	 * Return the minimum time the lock stays held after it was acquired, or {@code null}
	 * for none.
	 * @return the minimum hold time
	 */
	public @Nullable Duration getLockAtLeastFor() {
		return this.lockAtLeastFor;
	}

	@Override
	public String toString() {
		return "LockOptions[waitTime=" + this.waitTime + ", leaseTime=" + this.leaseTime + ", autoRenew="
				+ this.autoRenew + ", lockAtLeastFor=" + this.lockAtLeastFor + "]";
	}

	/**
	 * Builder of {@link LockOptions}.
	 */
	public static final class Builder {

		private @Nullable Duration waitTime;

		private @Nullable Duration leaseTime;

		private @Nullable Boolean autoRenew;

		private @Nullable Duration lockAtLeastFor;

		private Builder() {
		}

		/**
		 * Set how long to wait for a held lock; zero fails at once.
		 * @param waitTime the wait time, not negative
		 * @return this builder
		 */
		public Builder waitTime(Duration waitTime) {
			this.waitTime = Durations.requireNotNegative(waitTime, "waitTime");
			return this;
		}

		/**
		 * Set how long the store keeps the lock if its holder vanishes.
		 * @param leaseTime the lease time, positive
		 * @return this builder
		 */
		public Builder leaseTime(Duration leaseTime) {
			this.leaseTime = Durations.requirePositive(leaseTime, "leaseTime");
			return this;
		}

		/**
		 * Set whether the lease is extended while the lock is held.
		 * @param autoRenew whether to renew
		 * @return this builder
		 */
		public Builder autoRenew(boolean autoRenew) {
			this.autoRenew = autoRenew;
			return this;
		}

		/**
		 * Set the minimum time the lock stays held after it was acquired, even when it is
		 * released sooner.
		 * @param lockAtLeastFor the minimum hold time, not negative
		 * @return this builder
		 */
		public Builder lockAtLeastFor(Duration lockAtLeastFor) {
			this.lockAtLeastFor = Durations.requireNotNegative(lockAtLeastFor, "lockAtLeastFor");
			return this;
		}

		/**
		 * Build the options.
		 * @return the options
		 */
		public LockOptions build() {
			return new LockOptions(this);
		}

	}

}
