package dev.distlock.autoconfigure.endpoint;

import dev.distlock.actuate.DistributedLocksEndpoint;
import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.core.Lease;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DistributedLocksEndpointAutoConfiguration}.
 *
 * @author Distributed Lock team
 */
class DistributedLocksEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class,
				DistributedLocksEndpointAutoConfiguration.class))
		.withPropertyValues("distributed-lock.store=in-memory");

	@Test
	void whenExposedShouldCreateEndpoint() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=distributedlocks")
			.run((context) -> assertThat(context).hasSingleBean(DistributedLocksEndpoint.class));
	}

	@Test
	void byDefaultShouldMaskKeys() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=distributedlocks")
			.run((context) -> assertThat(
					keyShownBy(context.getBean(DistributedLocksEndpoint.class), context.getBean(LockTemplate.class)))
				.isEqualTo("shown_values:******"));
	}

	@Test
	void whenShowValuesIsAlwaysShouldShowKeys() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=distributedlocks",
					"management.endpoint.distributedlocks.show-values=always")
			.run((context) -> assertThat(
					keyShownBy(context.getBean(DistributedLocksEndpoint.class), context.getBean(LockTemplate.class)))
				.isEqualTo("shown_values:42"));
	}

	private static String keyShownBy(DistributedLocksEndpoint endpoint, LockTemplate template) {
		try (Lease lease = template.acquire(LockKey.of("shown_values", 42), LockOptions.defaults())) {
			assertThat(lease.isValid()).isTrue();
			return endpoint.locks(SecurityContext.NONE).locks().get(0).key();
		}
	}

	@Test
	void whenNotExposedShouldNotCreateEndpoint() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LockTemplate.class);
			assertThat(context).doesNotHaveBean(DistributedLocksEndpoint.class);
		});
	}

	@Test
	void whenAccessIsNoneShouldNotCreateEndpoint() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=distributedlocks",
					"management.endpoint.distributedlocks.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(DistributedLocksEndpoint.class));
	}

	@Test
	void whenActuatorIsAbsentShouldNotCreateEndpoint() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=distributedlocks")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(LockTemplate.class);
				assertThat(context).doesNotHaveBean(DistributedLocksEndpoint.class);
			});
	}

	@Test
	void whenDistributedLocksAreDisabledShouldNotCreateEndpoint() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=distributedlocks",
					"distributed-lock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DistributedLocksEndpoint.class));
	}

}
