package dev.distlock.autoconfigure.metrics;

import java.util.UUID;

import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import dev.distlock.metrics.LockAcquisitionObservationConvention;
import dev.distlock.metrics.LockHoldObservationConvention;
import dev.distlock.metrics.ObservationLockListener;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

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
			assertThat(registry).hasObservationWithNameEqualTo("distributed.lock.acquire")
				.that()
				.hasLowCardinalityKeyValue("namespace", namespace)
				.hasLowCardinalityKeyValue("outcome", "acquired");
			assertThat(registry).hasObservationWithNameEqualTo("distributed.lock.held")
				.that()
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("namespace", namespace);
		});
	}

	@Test
	void whenConventionBeansExistShouldObserveWithThem() {
		this.contextRunner.withUserConfiguration(ObservationRegistryConfiguration.class, ConventionsConfiguration.class)
			.run((context) -> {
				context.getBean(LockTemplate.class).execute(LockKey.of("conventions", 1), () -> "done");
				TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
				assertThat(registry).hasObservationWithNameEqualTo("team.lock.wait").that().hasBeenStopped();
				assertThat(registry).hasObservationWithNameEqualTo("team.lock.hold");
			});
	}

	@Test
	void whenTwoConventionBeansOfOneKindExistShouldFailToStart() {
		this.contextRunner
			.withUserConfiguration(ObservationRegistryConfiguration.class, ConventionsConfiguration.class,
					SecondAcquisitionConventionConfiguration.class)
			.run((context) -> assertThat(context).hasFailed());
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
	static class ConventionsConfiguration {

		@Bean
		LockAcquisitionObservationConvention teamAcquisitionConvention() {
			return new LockAcquisitionObservationConvention() {

				@Override
				public String getName() {
					return "team.lock.wait";
				}

			};
		}

		@Bean
		LockHoldObservationConvention teamHoldConvention() {
			return new LockHoldObservationConvention() {

				@Override
				public String getName() {
					return "team.lock.hold";
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondAcquisitionConventionConfiguration {

		@Bean
		LockAcquisitionObservationConvention otherAcquisitionConvention() {
			return new LockAcquisitionObservationConvention() {

				@Override
				public String getName() {
					return "other.lock.wait";
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ObservationRegistryConfiguration {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

}
