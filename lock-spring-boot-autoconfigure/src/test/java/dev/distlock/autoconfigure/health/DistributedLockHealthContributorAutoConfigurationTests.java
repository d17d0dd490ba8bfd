package dev.distlock.autoconfigure.health;

import dev.distlock.actuate.DistributedLockHealthIndicator;
import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.core.LockStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DistributedLockHealthContributorAutoConfiguration}.
 *
 * @author Distributed Lock team
 */
class DistributedLockHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class,
				DistributedLockHealthContributorAutoConfiguration.class))
		.withPropertyValues("distributed-lock.store=in-memory");

	@Test
	void shouldCreateIndicatorForTheLockStore() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DistributedLockHealthIndicator.class)
				.hasBean("distributedLockHealthIndicator");
			Health health = context.getBean(DistributedLockHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("store", "in-memory");
		});
	}

	@Test
	void whenIndicatorIsDisabledShouldNotCreateIt() {
		this.contextRunner.withPropertyValues("management.health.distributedlock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DistributedLockHealthIndicator.class));
	}

	@Test
	void whenDefaultIndicatorsAreDisabledShouldNotCreateIt() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DistributedLockHealthIndicator.class));
	}

	@Test
	void whenHealthIsAbsentShouldNotCreateIndicator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Health.class)).run((context) -> {
			assertThat(context).hasSingleBean(LockStore.class);
			assertThat(context).doesNotHaveBean(DistributedLockHealthIndicator.class);
		});
	}

	@Test
	void whenDistributedLocksAreDisabledShouldNotCreateIndicator() {
		this.contextRunner.withPropertyValues("distributed-lock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DistributedLockHealthIndicator.class));
	}

	@Test
	void whenUserDefinesIndicatorWithTheSameNameShouldBackOff() {
		this.contextRunner.withUserConfiguration(CustomIndicatorConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(DistributedLockHealthIndicator.class);
			assertThat(context).hasBean("distributedLockHealthIndicator");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomIndicatorConfiguration {

		@Bean
		HealthIndicator distributedLockHealthIndicator() {
			return () -> Health.up().build();
		}

	}

}
