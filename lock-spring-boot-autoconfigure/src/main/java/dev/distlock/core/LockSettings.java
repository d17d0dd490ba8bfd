package dev.distlock.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.distlock.annotation.OnFailure;
import org.jspecify.annotations.Nullable;

/**
 * The configured defaults of every lock: global values, and per-namespace settings so
 * that operators tune one lock family without recompiling. Immutable. Spring Boot builds
 * it from {@code distributed-lock.*}.
 * <p>
 * {@link #resolve(String, LockOptions, OnFailure)} is the one step that decides how a
 * lock is taken: what the call (or the annotation) says, else the namespace's setting,
 * else the global one.
 * <p>
 * Namespace settings are matched to namespaces ignoring case and the characters
 * {@code _}, {@code -} and {@code .}: the settings named {@code tokenrefresh},
 * {@code token-refresh} or {@code TOKEN_REFRESH} all apply to namespace
 * {@code token_refresh}, and {@code tokenservicerefresh} to {@code TokenService.refresh},
 * so they can be set from environment variables.
 *
 * @author Distributed Lock team
 */
public final class LockSettings {

	private final Duration waitTime;

	private final Duration leaseTime;

	private final boolean autoRenew;

	private final OnFailure onFailure;

	private final boolean reentrant;

	private final LeaseLostPolicy leaseLostPolicy;

	private final Map<String, NamespaceSettings> namespaces;

	private final Map<String, String> namespaceNames;

	private LockSettings(Builder builder) {
		this.waitTime = builder.waitTime;
		this.leaseTime = builder.leaseTime;
		this.autoRenew = builder.autoRenew;
		this.onFailure = builder.onFailure;
		this.reentrant = builder.reentrant;
		this.leaseLostPolicy = builder.leaseLostPolicy;
		this.namespaces = Map.copyOf(builder.namespaces);
		this.namespaceNames = Map.copyOf(builder.namespaceNames);
	}

	/**
	 * Return the library's defaults: no waiting, a 30 second lease, auto-renew on, throw
	 * when not acquired, reentrant, lost leases logged.
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
	 * Return the name a namespace setting is matched by: lower case, without {@code _},
	 * {@code -} and {@code .}.
	 * @param name a namespace or the name of a namespace setting
	 * @return the matching name
	 */
	public static String matchingName(String name) {
		StringBuilder builder = new StringBuilder(name.length());
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c != '_' && c != '-' && c != '.') {
				builder.append(c);
			}
		}
		return builder.toString().toLowerCase(Locale.ROOT);
	}

	/**
	 * Return whether a section that holds a key may enter another section locked on the
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
	 * Return the setting of a namespace, if there is one.
	 * @param namespace the namespace
	 * @return its settings, or {@code null}
	 */
	public @Nullable NamespaceSettings namespace(String namespace) {
		return this.namespaces.isEmpty() ? null : this.namespaces.get(matchingName(namespace));
	}

	/**
	 * Return the name under which a namespace's setting was configured, if any.
	 * @param namespace the namespace
	 * @return the configured name, such as {@code token-refresh}, or {@code null}
	 */
	public @Nullable String configuredName(String namespace) {
		return this.namespaceNames.isEmpty() ? null : this.namespaceNames.get(matchingName(namespace));
	}

	/**
	 * Resolve how a lock of a namespace is taken.
	 * @param namespace the lock namespace
	 * @param options the options given for one lock
	 * @return every setting of the lock
	 */
	public Resolved resolve(String namespace, LockOptions options) {
		return resolve(namespace, options, OnFailure.DEFAULT);
	}

	/**
	 * Resolve how a lock of a namespace is taken: explicit options and the annotation's
	 * failure mode first, then the namespace's settings, then the global defaults.
	 * @param namespace the lock namespace
	 * @param options the options given for one lock
	 * @param onFailure the failure mode the annotation declares ({@code DEFAULT} for
	 * none)
	 * @return every setting of the lock
	 */
	public Resolved resolve(String namespace, LockOptions options, OnFailure onFailure) {
		NamespaceSettings overrides = namespace(namespace);
		if (overrides == null) {
			overrides = NamespaceSettings.NONE;
		}
		OnFailure failure = (onFailure != OnFailure.DEFAULT) ? onFailure
				: (overrides.onFailure() != null && overrides.onFailure() != OnFailure.DEFAULT) ? overrides.onFailure()
						: this.onFailure;
		return new Resolved(first(options.getWaitTime(), overrides.waitTime(), this.waitTime),
				first(options.getLeaseTime(), overrides.leaseTime(), this.leaseTime),
				first(options.getAutoRenew(), overrides.autoRenew(), this.autoRenew),
				Objects.requireNonNullElse(options.getLockAtLeastFor(), Duration.ZERO),
				Boolean.TRUE.equals(overrides.fair()), failure);
	}

	private static <T> T first(@Nullable T explicit, @Nullable T override, T fallback) {
		if (explicit != null) {
			return explicit;
		}
		return (override != null) ? override : fallback;
	}

	/**
	 * Every setting of one lock, after resolution.
	 *
	 * @param waitTime how long to wait for a held lock
	 * @param leaseTime how long the store keeps the lock if its holder vanishes
	 * @param autoRenew whether the lease is renewed while held
	 * @param lockAtLeastFor the minimum hold time, zero for none
	 * @param fair whether waiters get the lock in arrival order
	 * @param onFailure what a locked method does when the lock is not acquired:
	 * {@code THROW} or {@code SKIP}, never {@code DEFAULT}
	 */
	public record Resolved(Duration waitTime, Duration leaseTime, boolean autoRenew, Duration lockAtLeastFor,
			boolean fair, OnFailure onFailure) {

	}

	/**
	 * The settings of one namespace; {@code null} values fall back to the global ones.
	 *
	 * @param waitTime the namespace's wait time, or {@code null}
	 * @param leaseTime the namespace's lease time, or {@code null}
	 * @param autoRenew whether the namespace's leases are renewed, or {@code null}
	 * @param onFailure what its locked methods do when not acquired, or {@code null}
	 * @param fair whether its locks go to waiters in arrival order, or {@code null}
	 */
	public record NamespaceSettings(@Nullable Duration waitTime, @Nullable Duration leaseTime,
			@Nullable Boolean autoRenew, @Nullable OnFailure onFailure, @Nullable Boolean fair) {

		static final NamespaceSettings NONE = new NamespaceSettings(null, null, null, null, null);

		/**
		 * Validate the settings.
		 * @param waitTime the namespace's wait time, or {@code null}
		 * @param leaseTime the namespace's lease time, or {@code null}
		 * @param autoRenew whether the namespace's leases are renewed, or {@code null}
		 * @param onFailure what its locked methods do when not acquired, or {@code null}
		 * @param fair whether its locks are fair, or {@code null}
		 */
		public NamespaceSettings {
			if (waitTime != null) {
				Durations.requireNotNegative(waitTime, "waitTime");
			}
			if (leaseTime != null) {
				Durations.requirePositive(leaseTime, "leaseTime");
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

		private OnFailure onFailure = OnFailure.THROW;

		private boolean reentrant = true;

		private LeaseLostPolicy leaseLostPolicy = LeaseLostPolicy.LOG;

		private final Map<String, NamespaceSettings> namespaces = new HashMap<>();

		private final Map<String, String> namespaceNames = new HashMap<>();

		private Builder() {
		}

		/**
		 * Set the default wait time.
		 * @param waitTime the wait time, not negative
		 * @return this builder
		 */
		public Builder waitTime(Duration waitTime) {
			this.waitTime = Durations.requireNotNegative(waitTime, "waitTime");
			return this;
		}

		/**
		 * Set the default lease time.
		 * @param leaseTime the lease time, positive
		 * @return this builder
		 */
		public Builder leaseTime(Duration leaseTime) {
			this.leaseTime = Durations.requirePositive(leaseTime, "leaseTime");
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
		 * Set what a locked method does by default when the lock is not acquired.
		 * @param onFailure {@code THROW} or {@code SKIP} ({@code DEFAULT} means
		 * {@code THROW})
		 * @return this builder
		 */
		public Builder onFailure(OnFailure onFailure) {
			Objects.requireNonNull(onFailure, "onFailure must not be null");
			this.onFailure = (onFailure != OnFailure.DEFAULT) ? onFailure : OnFailure.THROW;
			return this;
		}

		/**
		 * Set whether locks are reentrant within an invocation context.
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
		 * Set the settings of one namespace.
		 * @param name the namespace, or any name that {@linkplain #matchingName matches}
		 * it
		 * @param settings its settings
		 * @return this builder
		 * @throws IllegalArgumentException if another configured name matches the same
		 * namespaces
		 */
		public Builder namespace(String name, NamespaceSettings settings) {
			String matching = matchingName(name);
			String previous = this.namespaceNames.putIfAbsent(matching, name);
			if (previous != null && !previous.equals(name)) {
				throw new IllegalArgumentException("Namespace settings '" + previous + "' and '" + name
						+ "' apply to the same namespaces (names are matched ignoring case, '_', '-' and '.')");
			}
			this.namespaces.put(matching, Objects.requireNonNull(settings, "settings must not be null"));
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
