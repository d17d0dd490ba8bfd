package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.Map;

import dev.distlock.core.Durations;
import dev.distlock.core.LockSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Builds the {@link LockSettings} from {@code distributed-lock.*}, once for the template
 * and once for the advice (which is created before any other bean), reporting a bad value
 * with the name of its property.
 *
 * @author Distributed Lock team
 */
final class LockSettingsFactory {

	private LockSettingsFactory() {
	}

	static LockSettings create(DistributedLockProperties properties) {
		LockSettings.Builder builder = LockSettings.builder()
			.waitTime(check("distributed-lock.wait-time", properties.getWaitTime(), Durations.Rule.NOT_NEGATIVE))
			.leaseTime(check("distributed-lock.lease-time", properties.getLeaseTime(), Durations.Rule.POSITIVE))
			.autoRenew(properties.isAutoRenew())
			.onFailure(properties.getOnFailure())
			.reentrant(properties.isReentrant())
			.leaseLostPolicy(properties.getOnLeaseLost());
		for (Map.Entry<String, DistributedLockProperties.Namespace> entry : properties.getNamespaces().entrySet()) {
			String prefix = "distributed-lock.namespaces." + entry.getKey();
			DistributedLockProperties.Namespace namespace = entry.getValue();
			LockSettings.NamespaceSettings settings = new LockSettings.NamespaceSettings(
					checkNullable(prefix + ".wait-time", namespace.getWaitTime(), Durations.Rule.NOT_NEGATIVE),
					checkNullable(prefix + ".lease-time", namespace.getLeaseTime(), Durations.Rule.POSITIVE),
					namespace.getAutoRenew(), namespace.getOnFailure(), namespace.getFair());
			try {
				builder.namespace(entry.getKey(), settings);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(prefix, entry.getKey(), ex.getMessage());
			}
		}
		return builder.build();
	}

	static Duration check(String property, Duration value, Durations.Rule rule) {
		String violation = rule.violation(value);
		if (violation != null) {
			throw new InvalidConfigurationPropertyValueException(property, value,
					Character.toUpperCase(violation.charAt(0)) + violation.substring(1) + ".");
		}
		return value;
	}

	private static @Nullable Duration checkNullable(String property, @Nullable Duration value, Durations.Rule rule) {
		return (value != null) ? check(property, value, rule) : null;
	}

}
