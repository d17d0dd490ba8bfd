package dev.distlock.autoconfigure.metrics;

import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.core.LockTemplate;
import dev.distlock.metrics.MicrometerLockListener;
import dev.distlock.metrics.ObservationLockListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.MeterObservationHandler;

import org.springframework.beans.factory.ObjectProvider;
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
 * Every lock interval is timed once. When lock observations are on and Spring Boot's
 * meter observation handler is there (a {@link MeterObservationHandler} bean, as the
 * actuator configures), the handler derives the timers from the observations and the
 * listener records only the counters; otherwise the listener records the timers too.
 * <p>
 * The listener only has to exist when the template is created, which is after every
 * auto-configuration has registered its beans; it runs after Spring Boot's metrics
 * auto-configurations so that their {@link MeterRegistry} is known to the condition.
 *
 * @author Distributed Lock team
 */
@AutoConfiguration(
		after = { DistributedLockAutoConfiguration.class, DistributedLockObservationAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, LockTemplate.class })
@ConditionalOnBooleanProperty(name = "distributed-lock.metrics.enabled", matchIfMissing = true)
public final class DistributedLockMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MicrometerLockListener micrometerLockListener(MeterRegistry meterRegistry,
			ObjectProvider<ObservationLockListener> observationLockListener,
			ObjectProvider<MeterObservationHandler<?>> meterObservationHandlers) {
		boolean timedByObservations = observationLockListener.getIfAvailable() != null
				&& meterObservationHandlers.stream().findAny().isPresent();
		return new MicrometerLockListener(meterRegistry, !timedByObservations);
	}

}
