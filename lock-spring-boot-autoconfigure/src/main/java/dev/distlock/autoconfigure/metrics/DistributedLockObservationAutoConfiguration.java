package dev.distlock.autoconfigure.metrics;

import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.core.LockTemplate;
import dev.distlock.metrics.LockAcquisitionObservationConvention;
import dev.distlock.metrics.LockHoldObservationConvention;
import dev.distlock.metrics.ObservationLockListener;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@code distributed.lock.acquire}
 * and {@code distributed.lock.held} observations: an {@link ObservationLockListener} that
 * the {@link LockTemplate} reports to, when the application has an
 * {@link ObservationRegistry} (Spring Boot's observation support configures one). With
 * Spring Boot's meter observation handler, the lock timers are derived from these
 * observations. A {@link LockAcquisitionObservationConvention} or
 * {@link LockHoldObservationConvention} bean replaces the default convention.
 *
 * @author Distributed Lock team
 */
@AutoConfiguration(after = DistributedLockAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, LockTemplate.class })
@ConditionalOnBooleanProperty(name = "distributed-lock.observations.enabled", matchIfMissing = true)
public final class DistributedLockObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ObservationLockListener observationLockListener(ObservationRegistry observationRegistry,
			ObjectProvider<LockAcquisitionObservationConvention> acquisitionConvention,
			ObjectProvider<LockHoldObservationConvention> holdConvention) {
		return new ObservationLockListener(observationRegistry, acquisitionConvention.getIfAvailable(),
				holdConvention.getIfAvailable());
	}

}
