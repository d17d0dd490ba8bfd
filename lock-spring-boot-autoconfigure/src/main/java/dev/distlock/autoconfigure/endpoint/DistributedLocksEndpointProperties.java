package dev.distlock.autoconfigure.endpoint;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.distlock.actuate.DistributedLocksEndpoint;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for {@link DistributedLocksEndpoint}
 * ({@code management.endpoint.distributedlocks.*}). They also decide whether the answer
 * to a {@code LockNotAcquiredException} in a web application names the key.
 *
 * @author Distributed Lock team
 */
@ConfigurationProperties("management.endpoint.distributedlocks")
public class DistributedLocksEndpointProperties {

	/**
	 * When to show lock keys unmasked, which may carry personal data such as user ids.
	 * Masked keys show the namespace only.
	 */
	private Show showValues = Show.NEVER;

	/**
	 * Roles used to determine whether a user is authorized to be shown unmasked lock
	 * keys. When empty, all authenticated users are authorized.
	 */
	private final Set<String> roles = new LinkedHashSet<>();

	/**
	 * Return when to show lock keys unmasked.
	 * @return when keys are shown
	 */
	public Show getShowValues() {
		return this.showValues;
	}

	/**
	 * Set when to show lock keys unmasked.
	 * @param showValues when keys are shown
	 */
	public void setShowValues(Show showValues) {
		this.showValues = showValues;
	}

	/**
	 * Return the roles that may see unmasked keys when shown values are
	 * {@code when-authorized}.
	 * @return the roles, empty for every authenticated user
	 */
	public Set<String> getRoles() {
		return this.roles;
	}

}
