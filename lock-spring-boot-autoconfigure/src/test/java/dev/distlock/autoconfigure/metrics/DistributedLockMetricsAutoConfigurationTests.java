package dev.distlock.autoconfigure.metrics;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.core.Lease;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockTemplate;
import dev.distlock.metrics.DefaultLockAcquisitionObservationConvention;
import dev.distlock.metrics.LockAcquisitionContext;
import dev.distlock.metrics.LockHoldContext;
import dev.distlock.metrics.LockHoldObservationConvention;
import dev.distlock.metrics.MicrometerLockListener;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DistributedLockMetricsAutoConfiguration}: every lock interval is timed
 * exactly once, by the observations when Spring Boot turns them into meters, by the
 * listener otherwise.
 *
 * @author Distributed Lock team
 */
class DistributedLockMetricsAutoConfigurationTests {

	private static final int LOCKS = 5;

	private static final LockOptions NO_RENEWAL = LockOptions.builder().autoRenew(false).build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class,
				DistributedLockMetricsAutoConfiguration.class, DistributedLockObservationAutoConfiguration.class))
		.withPropertyValues("distributed-lock.store=in-memory");

	private final ApplicationContextRunner bootMetricsRunner = this.contextRunner
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

	private final ApplicationContextRunner bootObservationsRunner = this.bootMetricsRunner
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class));

	private final String namespace = "metrics_" + UUID.randomUUID().toString().replace("-", "");

	@Test
	void whenSpringBootTurnsObservationsIntoMetersTheyTimeEachIntervalOnce() {
		this.bootObservationsRunner.run((context) -> {
			assertThat(context.getBean(MicrometerLockListener.class).recordsTimers()).isFalse();
			lockAndContend(context);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(timersOfThisTest(registry)).extracting((timer) -> timer.getId().getName())
				.containsExactlyInAnyOrder(MicrometerLockListener.ACQUIRE, MicrometerLockListener.ACQUIRE,
						MicrometerLockListener.HELD);
			assertThat(acquireTimer(registry, "acquired").count()).isEqualTo(LOCKS);
			assertThat(tags(acquireTimer(registry, "acquired"))).containsOnlyKeys("namespace", "store", "outcome",
					"error");
			assertThat(tags(acquireTimer(registry, "acquired"))).containsEntry("error", "none");
			assertThat(acquireTimer(registry, "not_acquired").count()).isOne();
			Timer held = registry.get(MicrometerLockListener.HELD).tag("namespace", this.namespace).timer();
			assertThat(held.count()).isEqualTo(LOCKS);
			assertThat(tags(held)).containsOnly(Map.entry("namespace", this.namespace), Map.entry("store", "in-memory"),
					Map.entry("error", "none"));
			LongTaskTimer active = registry.get("distributed.lock.held.active")
				.tag("namespace", this.namespace)
				.longTaskTimer();
			assertThat(active.activeTasks()).isZero();
			assertThat(registry.find(MicrometerLockListener.ACTIVE).meters()).isEmpty();
			assertThat(registry.find("distributed.lock.acquisition").meters()).isEmpty();
			assertThat(registry.find("distributed.lock.hold").meters()).isEmpty();
			assertThat(registry.get(MicrometerLockListener.RENEWALS).tag("namespace", this.namespace).counters())
				.hasSize(2);
			assertNoTagCarriesTheKey(registry);
		});
	}

	@Test
	void whenObservationsAreDisabledTheListenerTimesEachIntervalOnce() {
		this.bootObservationsRunner.withPropertyValues("distributed-lock.observations.enabled=false")
			.run((context) -> assertTimedByTheListener(context));
	}

	@Test
	void whenSpringBootConfiguresOnlyMetricsTheListenerTimesEachIntervalOnce() {
		this.bootMetricsRunner.run((context) -> assertTimedByTheListener(context));
	}

	@Test
	void whenTheObservationRegistryHasNoMeterHandlerTheListenerTimesEachIntervalOnce() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class, TestObservationConfiguration.class)
			.run((context) -> assertTimedByTheListener(context));
	}

	@Test
	void conventionBeansReplaceTheNamesAndTagsOfTheDerivedTimers() {
		this.bootObservationsRunner.withUserConfiguration(ConventionsConfiguration.class).run((context) -> {
			lockAndContend(context);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find(MicrometerLockListener.ACQUIRE).meters()).isEmpty();
			assertThat(registry.find(MicrometerLockListener.HELD).meters()).isEmpty();
			Timer wait = registry.get("team.lock.wait")
				.tags("namespace", this.namespace, "outcome", "acquired", "team", "billing")
				.timer();
			assertThat(wait.count()).isEqualTo(LOCKS);
			Timer hold = registry.get("team.lock.hold").tags("team", "billing").timer();
			assertThat(hold.count()).isEqualTo(LOCKS);
			assertThat(tags(hold)).containsOnlyKeys("team", "error");
		});
	}

	@Test
	void whenMeterRegistryExistsShouldRecordLockMeters() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(MicrometerLockListener.class);
			assertTimedByTheListener(context);
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

	private void assertTimedByTheListener(AssertableApplicationContext context) throws Exception {
		assertThat(context.getBean(MicrometerLockListener.class).recordsTimers()).isTrue();
		lockAndContend(context);
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		assertThat(timersOfThisTest(registry)).extracting((timer) -> timer.getId().getName())
			.containsOnly(MicrometerLockListener.ACQUIRE, MicrometerLockListener.HELD);
		assertThat(acquireTimer(registry, "acquired").count()).isEqualTo(LOCKS);
		assertThat(tags(acquireTimer(registry, "acquired"))).containsOnlyKeys("namespace", "store", "outcome");
		assertThat(acquireTimer(registry, "not_acquired").count()).isOne();
		assertThat(acquireTimer(registry, "error").count()).isZero();
		Timer held = registry.get(MicrometerLockListener.HELD).tag("namespace", this.namespace).timer();
		assertThat(held.count()).isEqualTo(LOCKS);
		assertThat(tags(held)).containsOnlyKeys("namespace", "store");
		assertThat(registry.get(MicrometerLockListener.ACTIVE).tag("namespace", this.namespace).longTaskTimer())
			.isNotNull();
		assertThat(registry.find("distributed.lock.held.active").meters()).isEmpty();
		assertNoTagCarriesTheKey(registry);
	}

	/**
	 * Take {@value #LOCKS} locks one after the other, and find one of them held once.
	 */
	private void lockAndContend(AssertableApplicationContext context) throws Exception {
		LockTemplate template = context.getBean(LockTemplate.class);
		for (int i = 1; i < LOCKS; i++) {
			template.execute(LockKey.of(this.namespace, "user-" + i), () -> "done");
		}
		LockKey contended = LockKey.of(this.namespace, "user-" + LOCKS);
		try (Lease lease = template.acquire(contended, NO_RENEWAL)) {
			assertThat(lease.isValid()).isTrue();
			boolean acquiredElsewhere = CompletableFuture
				.supplyAsync(() -> template.tryAcquire(contended, NO_RENEWAL).isPresent())
				.get();
			assertThat(acquiredElsewhere).isFalse();
		}
	}

	private List<Timer> timersOfThisTest(MeterRegistry registry) {
		return registry.getMeters()
			.stream()
			.filter(Timer.class::isInstance)
			.map(Timer.class::cast)
			.filter((timer) -> this.namespace.equals(timer.getId().getTag("namespace")))
			.toList();
	}

	private Timer acquireTimer(MeterRegistry registry, String outcome) {
		Collection<Timer> timers = registry.find(MicrometerLockListener.ACQUIRE)
			.tags("namespace", this.namespace, "store", "in-memory", "outcome", outcome)
			.timers();
		assertThat(timers).as("timers of outcome %s", outcome).hasSize(1);
		return timers.iterator().next();
	}

	private static Map<String, String> tags(Meter meter) {
		return meter.getId().getTags().stream().collect(Collectors.toMap(Tag::getKey, Tag::getValue));
	}

	private static void assertNoTagCarriesTheKey(MeterRegistry registry) {
		assertThat(registry.getMeters()).flatExtracting((meter) -> meter.getId().getTags())
			.extracting(Tag::getValue)
			.noneMatch((value) -> value.contains("user-"));
	}

	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TestObservationConfiguration {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomListenerConfiguration {

		@Bean
		MicrometerLockListener customListener(MeterRegistry meterRegistry) {
			return new MicrometerLockListener(meterRegistry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ConventionsConfiguration {

		@Bean
		DefaultLockAcquisitionObservationConvention teamAcquisitionConvention() {
			return new DefaultLockAcquisitionObservationConvention() {

				@Override
				public String getName() {
					return "team.lock.wait";
				}

				@Override
				public KeyValues getLowCardinalityKeyValues(LockAcquisitionContext context) {
					return super.getLowCardinalityKeyValues(context).and("team", "billing");
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

				@Override
				public KeyValues getLowCardinalityKeyValues(LockHoldContext context) {
					return KeyValues.of("team", "billing");
				}

			};
		}

	}

}
