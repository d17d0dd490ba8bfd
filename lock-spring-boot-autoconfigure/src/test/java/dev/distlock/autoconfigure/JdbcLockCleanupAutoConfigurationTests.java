package dev.distlock.autoconfigure;

import java.time.Duration;

import dev.distlock.jdbc.JdbcLockCleanup;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the housekeeping of the JDBC lock table that
 * {@link DistributedLockAutoConfiguration} sets up.
 *
 * @author Distributed Lock team
 */
class JdbcLockCleanupAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DataSourceAutoConfiguration.class, DistributedLockAutoConfiguration.class));

	@Test
	void whenJdbcIsUsedShouldCleanUpEveryHourWithADayOfRetentionOnItsOwnThread() {
		long before = cleanupThreads();
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(JdbcLockCleanup.class);
			JdbcLockCleanup cleanup = context.getBean(JdbcLockCleanup.class);
			assertThat(cleanup.getRetention()).isEqualTo(Duration.ofDays(1));
			assertThat(cleanup.getInterval()).isEqualTo(Duration.ofHours(1));
			assertThat(cleanup.isRunning()).isTrue();
			assertThat(cleanupThreads()).isEqualTo(before + 1);
			assertThat(cleanup.cleanUp()).hasValue(0);
		});
		awaitCleanupThreads(before);
	}

	@Test
	void whenPropertiesAreSetShouldUseThem() {
		this.contextRunner
			.withPropertyValues("distributed-lock.jdbc.cleanup.retention=2h",
					"distributed-lock.jdbc.cleanup.interval=10m")
			.run((context) -> {
				JdbcLockCleanup cleanup = context.getBean(JdbcLockCleanup.class);
				assertThat(cleanup.getRetention()).isEqualTo(Duration.ofHours(2));
				assertThat(cleanup.getInterval()).isEqualTo(Duration.ofMinutes(10));
			});
	}

	@Test
	void whenCleanupIsDisabledShouldHaveNoBeanAndNoThread() {
		long before = cleanupThreads();
		this.contextRunner.withPropertyValues("distributed-lock.jdbc.cleanup.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(JdbcLockCleanup.class);
			assertThat(cleanupThreads()).isEqualTo(before);
		});
	}

	@Test
	void whenAnotherStoreIsUsedShouldNotCleanUp() {
		this.contextRunner.withPropertyValues("distributed-lock.store=in-memory")
			.run((context) -> assertThat(context).doesNotHaveBean(JdbcLockCleanup.class));
	}

	@Test
	void whenRetentionIsNotLongerThanTheTimeoutShouldFailNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("distributed-lock.jdbc.timeout=5s", "distributed-lock.jdbc.cleanup.retention=5s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("distributed-lock.jdbc.cleanup.retention")
					.hasMessageContaining("distributed-lock.jdbc.timeout");
			});
	}

	@Test
	void whenIntervalIsNotPositiveShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("distributed-lock.jdbc.cleanup.interval=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("distributed-lock.jdbc.cleanup.interval");
		});
	}

	@Test
	void whenMetricsAreRecordedShouldCountTheRowsRemoved() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> {
				FunctionCounter counter = context.getBean(MeterRegistry.class)
					.get("distributed.lock.jdbc.cleanup.rows")
					.tag("store", "jdbc")
					.functionCounter();
				assertThat(counter.count()).isZero();
			});
	}

	@Test
	void whenMetricsAreDisabledShouldNotCountTheRowsRemoved() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("distributed-lock.metrics.enabled=false")
			.run((context) -> assertThat(
					context.getBean(MeterRegistry.class).find("distributed.lock.jdbc.cleanup.rows").functionCounter())
				.isNull());
	}

	@Test
	void whenMicrometerIsAbsentShouldStillCleanUp() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasSingleBean(JdbcLockCleanup.class));
	}

	private static long cleanupThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().equals("distributed-lock-jdbc-cleanup"))
			.count();
	}

	private static void awaitCleanupThreads(long expected) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (cleanupThreads() > expected && System.nanoTime() < deadline) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		assertThat(cleanupThreads()).as("clean-up threads left after the context closed").isEqualTo(expected);
	}

}
