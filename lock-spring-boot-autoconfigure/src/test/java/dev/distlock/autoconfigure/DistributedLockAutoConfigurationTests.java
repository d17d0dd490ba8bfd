package dev.distlock.autoconfigure;

import java.time.Duration;

import dev.distlock.aop.DistributedLockAdvisor;
import dev.distlock.core.LeaseLostPolicy;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockTemplate;
import dev.distlock.memory.InMemoryLockStore;
import dev.distlock.reactive.ReactiveLockTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DistributedLockAutoConfiguration}.
 *
 * @author Distributed Lock team
 */
@ExtendWith(OutputCaptureExtension.class)
class DistributedLockAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class));

	@Test
	void whenNoStoreIsAvailableShouldFallBackToInMemoryWithAWarning(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LockTemplate.class);
			assertThat(context).hasSingleBean(InMemoryLockStore.class);
			assertThat(context).hasSingleBean(DistributedLockAdvisor.class);
			assertThat(output).contains("using the in-memory lock store").contains("do not coordinate other instances");
		});
	}

	@Test
	void whenInMemoryIsChosenShouldNotWarn(CapturedOutput output) {
		this.contextRunner.withPropertyValues("distributed-lock.store=in-memory").run((context) -> {
			assertThat(context).hasSingleBean(InMemoryLockStore.class);
			assertThat(output).doesNotContain("do not coordinate other instances");
		});
	}

	@Test
	void whenRedisIsChosenWithoutAConnectionFactoryShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("distributed-lock.store=redis").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("distributed-lock.store")
				.hasMessageContaining("RedisConnectionFactory");
		});
	}

	@Test
	void whenJdbcIsChosenWithoutADataSourceShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("distributed-lock.store=jdbc").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("distributed-lock.store")
				.hasMessageContaining("DataSource");
		});
	}

	@Test
	void whenTheStoreIsUnknownShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("distributed-lock.store=zookeeper").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("distributed-lock.store");
		});
	}

	@Test
	void whenTheUserDefinesALockRegistryShouldUseIt() {
		this.contextRunner.withBean("myRegistry", LockStore.class, CustomRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(LockStore.class);
			assertThat(context.getBean(LockTemplate.class).getStore()).isInstanceOf(CustomRegistry.class);
		});
	}

	@Test
	void whenTheUserDefinesALockTemplateShouldBackOff() {
		this.contextRunner
			.withBean("myTemplate", LockTemplate.class,
					() -> new LockTemplate(new InMemoryLockStore(), LockSettings.defaults(),
							new dev.distlock.core.LeaseRenewalScheduler(), dev.distlock.core.LockListener.NONE))
			.run((context) -> assertThat(context).getBean(LockTemplate.class).isSameAs(context.getBean("myTemplate")));
	}

	@Test
	void withReactorShouldCreateAReactiveLockTemplateOnTheLockTemplate() {
		this.contextRunner.withPropertyValues("distributed-lock.store=in-memory").run((context) -> {
			assertThat(context).hasSingleBean(ReactiveLockTemplate.class);
			assertThat(context.getBean(ReactiveLockTemplate.class).getLockTemplate())
				.isSameAs(context.getBean(LockTemplate.class));
		});
	}

	@Test
	void withoutReactorShouldNotCreateAReactiveLockTemplate() {
		this.contextRunner.withPropertyValues("distributed-lock.store=in-memory")
			.withClassLoader(new FilteredClassLoader("reactor.core"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ReactiveLockTemplate.class);
			});
	}

	@Test
	void whenDisabledShouldCreateNothing() {
		this.contextRunner.withPropertyValues("distributed-lock.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(LockTemplate.class);
			assertThat(context).doesNotHaveBean(LockStore.class);
			assertThat(context).doesNotHaveBean(DistributedLockAdvisor.class);
		});
	}

	@Test
	void propertiesBecomeLockSettings() {
		this.contextRunner
			.withPropertyValues("distributed-lock.store=in-memory", "distributed-lock.wait-time=2s",
					"distributed-lock.lease-time=1m", "distributed-lock.auto-renew=false",
					"distributed-lock.reentrant=false", "distributed-lock.on-lease-lost=throw",
					"distributed-lock.namespaces.reports.wait-time=10s",
					"distributed-lock.namespaces.reports.lease-time=5m",
					"distributed-lock.namespaces.reports.auto-renew=true")
			.run((context) -> {
				LockSettings settings = context.getBean(LockSettings.class);
				assertThat(settings.isReentrant()).isFalse();
				assertThat(settings.getLeaseLostPolicy()).isEqualTo(LeaseLostPolicy.THROW);
				LockSettings.Resolved global = settings.resolve("other", LockOptions.defaults());
				assertThat(global.waitTime()).isEqualTo(Duration.ofSeconds(2));
				assertThat(global.leaseTime()).isEqualTo(Duration.ofMinutes(1));
				assertThat(global.autoRenew()).isFalse();
				LockSettings.Resolved reports = settings.resolve("reports", LockOptions.defaults());
				assertThat(reports.waitTime()).isEqualTo(Duration.ofSeconds(10));
				assertThat(reports.leaseTime()).isEqualTo(Duration.ofMinutes(5));
				assertThat(reports.autoRenew()).isTrue();
			});
	}

	@Test
	void negativeWaitTimeFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("distributed-lock.wait-time=-1s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("distributed-lock.wait-time");
		});
	}

	@Test
	void zeroNamespaceLeaseTimeFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("distributed-lock.namespaces.reports.lease-time=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("distributed-lock.namespaces.reports.lease-time");
		});
	}

	@Test
	void unparsableDurationFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("distributed-lock.lease-time=forever").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("distributed-lock.lease-time");
		});
	}

	@Test
	void adviceOrderDefaultsOutsideTransactionsAndIsConfigurable() {
		this.contextRunner.run((context) -> assertThat(context.getBean(DistributedLockAdvisor.class).getOrder())
			.isLessThan(Ordered.LOWEST_PRECEDENCE));
		this.contextRunner.withPropertyValues("distributed-lock.aop.order=42")
			.run((context) -> assertThat(context.getBean(DistributedLockAdvisor.class).getOrder()).isEqualTo(42));
	}

	static class CustomRegistry extends InMemoryLockStore {

		@Override
		public String storeName() {
			return "custom";
		}

	}

}
