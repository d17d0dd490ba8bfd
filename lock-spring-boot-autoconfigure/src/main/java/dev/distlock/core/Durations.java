package dev.distlock.core;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The one place where lock durations are checked: options, settings, annotation
 * attributes and properties all apply these rules and only differ in how they report a
 * violation.
 *
 * @author Distributed Lock team
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * The rule a duration must follow.
	 */
	public enum Rule {

		/**
		 * Greater than zero, such as a lease time.
		 */
		POSITIVE("must be positive"),

		/**
		 * Zero or greater, such as a wait time.
		 */
		NOT_NEGATIVE("must not be negative");

		private final String requirement;

		Rule(String requirement) {
			this.requirement = requirement;
		}

		/**
		 * Return what is wrong with a duration under this rule.
		 * @param duration the duration
		 * @return the violation, such as {@code "must be positive"}, or {@code null} if
		 * the duration follows the rule
		 */
		public @Nullable String violation(Duration duration) {
			boolean ok = (this == POSITIVE) ? !duration.isNegative() && !duration.isZero() : !duration.isNegative();
			return ok ? null : this.requirement;
		}

	}

	/**
	 * Check that a duration is positive.
	 * @param duration the duration
	 * @param name its name, for the message
	 * @return the duration
	 * @throws IllegalArgumentException if it is zero or negative
	 */
	public static Duration requirePositive(Duration duration, String name) {
		return require(duration, name, Rule.POSITIVE);
	}

	/**
	 * Check that a duration is zero or positive.
	 * @param duration the duration
	 * @param name its name, for the message
	 * @return the duration
	 * @throws IllegalArgumentException if it is negative
	 */
	public static Duration requireNotNegative(Duration duration, String name) {
		return require(duration, name, Rule.NOT_NEGATIVE);
	}

	/**
	 * Check a duration against a rule.
	 * @param duration the duration
	 * @param name its name, for the message
	 * @param rule the rule
	 * @return the duration
	 * @throws IllegalArgumentException if it breaks the rule
	 */
	public static Duration require(Duration duration, String name, Rule rule) {
		Objects.requireNonNull(duration, () -> name + " must not be null");
		String violation = rule.violation(duration);
		if (violation != null) {
			throw new IllegalArgumentException(name + " " + violation + ", but was " + duration);
		}
		return duration;
	}

}
