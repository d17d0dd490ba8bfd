package dev.distlock.autoconfigure.metrics;

import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;

import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import dev.distlock.metrics.MicrometerLockListener;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DistributedLockMetricsAutoConfiguration}.
 *
 * @author Distributed Lock team
 */
class DistributedLockMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class,
				DistributedLockMetricsAutoConfiguration.class))
		.withPropertyValues("distributed-lock.store=in-memory");

	@Test
	void whenMeterRegistryExistsShouldRecordLockMeters() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(MicrometerLockListener.class);
			assertRecordsThroughTemplate(context);
		});
	}

	@Test
	void whenSpringBootConfiguresTheMeterRegistryShouldRecordLockMeters() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(MicrometerLockListener.class);
				assertRecordsThroughTemplate(context);
			});
	}

	@Test
	void whenMetricsAreDisabledShouldNotRecord() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class)
			.withPropertyValues("distributed-lock.metrics.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(MicrometerLockListener.class);
				context.getBean(LockTemplate.class).execute(LockKey.of("disabled", 1), () -> "done");
				assertThat(context.getBean(MeterRegistry.class).find("distributed.lock.acquire").meters()).isEmpty();
			});
	}

	@Test
	void whenNoMeterRegistryExistsShouldNotCreateListener() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LockTemplate.class);
			assertThat(context).doesNotHaveBean(MicrometerLockListener.class);
		});
	}

	@Test
	void whenMicrometerIsAbsentShouldNotCreateListener() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(LockTemplate.class);
				assertThat(context).doesNotHaveBean(MicrometerLockListener.class);
			});
	}

	@Test
	void whenDistributedLocksAreDisabledShouldNotCreateListener() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class)
			.withPropertyValues("distributed-lock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MicrometerLockListener.class));
	}

	@Test
	void whenUserDefinesListenerShouldBackOff() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class, CustomListenerConfiguration.class)
			.run((context) -> assertThat(context).getBean(MicrometerLockListener.class)
				.isSameAs(context.getBean("customListener")));
	}

	private static void assertRecordsThroughTemplate(AssertableApplicationContext context) {
		String namespace = "autoconfigured-" + UUID.randomUUID();
		context.getBean(LockTemplate.class).execute(LockKey.of(namespace, 1), () -> "done");
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		assertThat(registry.get("distributed.lock.acquire")
			.tags("namespace", namespace, "store", "in-memory", "outcome", "acquired")
			.timer()
			.count()).isEqualTo(1);
		assertThat(registry.get("distributed.lock.held").tags("namespace", namespace).timer().count()).isEqualTo(1);
	}

	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomListenerConfiguration {

		@Bean
		MicrometerLockListener customListener(MeterRegistry meterRegistry) {
			return new MicrometerLockListener(meterRegistry);
		}

	}

}
