package dev.distlock.autoconfigure.metrics;

import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;

import io.micrometer.observation.ObservationRegistry;

import dev.distlock.core.LockTemplate;
import dev.distlock.metrics.ObservationLockListener;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the
 * {@code distributed.lock.acquisition} and {@code distributed.lock.hold} observations: an
 * {@link ObservationLockListener} that the {@link LockTemplate} reports to, when the
 * application has an {@link ObservationRegistry} (Spring Boot's observation support
 * configures one).
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
	ObservationLockListener observationLockListener(ObservationRegistry observationRegistry) {
		return new ObservationLockListener(observationRegistry);
	}

}
