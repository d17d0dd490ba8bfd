package dev.distlock.autoconfigure.web;

import java.security.Principal;
import java.util.Set;
import java.util.function.Predicate;

import dev.distlock.autoconfigure.endpoint.DistributedLocksEndpointProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;

/**
 * Names the key as the {@code distributedlocks} endpoint shows it:
 * {@code management.endpoint.distributedlocks.show-values} and {@code roles}.
 *
 * @author Distributed Lock team
 */
final class ShowValuesLockKeyDisclosure implements LockKeyDisclosure {

	private final Show showValues;

	private final Set<String> roles;

	ShowValuesLockKeyDisclosure(DistributedLocksEndpointProperties properties) {
		this.showValues = properties.getShowValues();
		this.roles = Set.copyOf(properties.getRoles());
	}

	@Override
	public boolean allows(@Nullable Principal principal, Predicate<String> isUserInRole) {
		return this.showValues.isShown(new SecurityContext() {

			@Override
			public @Nullable Principal getPrincipal() {
				return principal;
			}

			@Override
			public boolean isUserInRole(String role) {
				return isUserInRole.test(role);
			}

		}, this.roles);
	}

}
