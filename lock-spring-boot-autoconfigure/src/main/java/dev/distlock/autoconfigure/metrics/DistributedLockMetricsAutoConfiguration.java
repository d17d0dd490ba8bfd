package dev.distlock.autoconfigure.metrics;

import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;

import io.micrometer.core.instrument.MeterRegistry;

import dev.distlock.core.LockTemplate;
import dev.distlock.metrics.MicrometerLockListener;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@code distributed.lock.*} meters:
 * a {@link MicrometerLockListener} that the {@link LockTemplate} reports to.
 * <p>
 * The listener only has to exist when the template is created, which is after every
 * auto-configuration has registered its beans; it runs after Spring Boot's metrics
 * auto-configurations so that their {@link MeterRegistry} is known to the condition.
 *
 * @author Distributed Lock team
 */
@AutoConfiguration(after = DistributedLockAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, LockTemplate.class })
@ConditionalOnBooleanProperty(name = "distributed-lock.metrics.enabled", matchIfMissing = true)
public final class DistributedLockMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MicrometerLockListener micrometerLockListener(MeterRegistry meterRegistry) {
		return new MicrometerLockListener(meterRegistry);
	}

}
