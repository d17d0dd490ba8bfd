package dev.distlock.autoconfigure.metrics;

import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;

import java.util.UUID;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import dev.distlock.metrics.ObservationLockListener;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DistributedLockObservationAutoConfiguration}.
 *
 * @author Distributed Lock team
 */
class DistributedLockObservationAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class,
				DistributedLockObservationAutoConfiguration.class))
		.withPropertyValues("distributed-lock.store=in-memory");

	@Test
	void whenObservationRegistryExistsShouldObserveLocks() {
		this.contextRunner.withUserConfiguration(ObservationRegistryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ObservationLockListener.class);
			String namespace = "observed-" + UUID.randomUUID();
			context.getBean(LockTemplate.class).execute(LockKey.of(namespace, 1), () -> "done");
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			assertThat(registry).hasObservationWithNameEqualTo("distributed.lock.acquisition")
				.that()
				.hasLowCardinalityKeyValue("namespace", namespace)
				.hasLowCardinalityKeyValue("outcome", "acquired");
			assertThat(registry).hasObservationWithNameEqualTo("distributed.lock.hold")
				.that()
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("outcome", "released");
		});
	}

	@Test
	void whenSpringBootConfiguresTheObservationRegistryShouldCreateListener() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(ObservationRegistry.class);
				assertThat(context).hasSingleBean(ObservationLockListener.class);
			});
	}

	@Test
	void whenObservationsAreDisabledShouldNotCreateListener() {
		this.contextRunner.withUserConfiguration(ObservationRegistryConfiguration.class)
			.withPropertyValues("distributed-lock.observations.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ObservationLockListener.class);
				context.getBean(LockTemplate.class).execute(LockKey.of("disabled", 1), () -> "done");
				assertThat(context.getBean(TestObservationRegistry.class)).doesNotHaveAnyObservation();
			});
	}

	@Test
	void whenNoObservationRegistryExistsShouldNotCreateListener() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LockTemplate.class);
			assertThat(context).doesNotHaveBean(ObservationLockListener.class);
		});
	}

	@Test
	void whenMicrometerObservationIsAbsentShouldNotCreateListener() {
		this.contextRunner.withUserConfiguration(ObservationRegistryConfiguration.class)
			.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(LockTemplate.class);
				assertThat(context).doesNotHaveBean(ObservationLockListener.class);
			});
	}

	@Test
	void whenDistributedLocksAreDisabledShouldNotCreateListener() {
		this.contextRunner.withUserConfiguration(ObservationRegistryConfiguration.class)
			.withPropertyValues("distributed-lock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ObservationLockListener.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class ObservationRegistryConfiguration {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

}
