package dev.distlock.autoconfigure.web;

import java.security.Principal;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether the answer to a request may name the key of a lock that was not
 * acquired, or only its namespace: keys often carry personal data.
 *
 * @author Distributed Lock team
 */
@FunctionalInterface
interface LockKeyDisclosure {

	/**
	 * Never name the key: the choice when the actuator, whose {@code show-values} setting
	 * decides otherwise, is not there.
	 */
	LockKeyDisclosure NEVER = (principal, isUserInRole) -> false;

	/**
	 * Return whether the caller may see the key.
	 * @param principal the authenticated caller, or {@code null}
	 * @param isUserInRole whether the caller has a role
	 * @return whether to name the key
	 */
	boolean allows(@Nullable Principal principal, Predicate<String> isUserInRole);

}
