package dev.distlock.test.autoconfigure;

import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockTemplate;
import dev.distlock.memory.InMemoryLockStore;
import dev.distlock.test.RecordingLockStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecordingLockStoreAutoConfiguration}.
 *
 * @author Distributed Lock team
 */
class RecordingLockStoreAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DistributedLockAutoConfiguration.class, RecordingLockStoreAutoConfiguration.class));

	@Test
	void wrapsTheAutoConfiguredStoreForTheTemplateAndTheTest() {
		this.contextRunner.withPropertyValues("distributed-lock.store=in-memory").run((context) -> {
			assertThat(context).hasSingleBean(LockStore.class).hasSingleBean(RecordingLockStore.class);
			RecordingLockStore recording = context.getBean(RecordingLockStore.class);
			assertThat(recording.getDelegate()).isInstanceOf(InMemoryLockStore.class);
			assertThat(context.getBean(LockTemplate.class).getStore()).isSameAs(recording);
		});
	}

	@Test
	void aBeanThatNeedsTheRecordingStoreFindsItBeforeTheStoreIsCreated() {
		this.contextRunner.withUserConfiguration(RecordingConsumerConfiguration.class)
			.run((context) -> assertThat(context.getBean(RecordingConsumer.class).locks)
				.isSameAs(context.getBean(LockStore.class)));
	}

	@Test
	void wrapsAStoreOfTheApplicationsOwn() {
		this.contextRunner.withUserConfiguration(OwnStoreConfiguration.class)
			.run((context) -> assertThat(context.getBean(RecordingLockStore.class).getDelegate())
				.isSameAs(OwnStoreConfiguration.STORE));
	}

	@Test
	void leavesARecordingStoreOfTheTestsOwnAsItIs() {
		this.contextRunner.withUserConfiguration(OwnRecordingStoreConfiguration.class)
			.run((context) -> assertThat(context.getBean(LockStore.class))
				.isSameAs(OwnRecordingStoreConfiguration.STORE));
	}

	@Test
	void doesNothingWhenRecordingIsSwitchedOff() {
		this.contextRunner.withPropertyValues("distributed-lock.test.record=false")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryLockStore.class)
				.doesNotHaveBean(RecordingLockStore.class)
				.doesNotHaveBean(RecordingLockStorePostProcessor.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnStoreConfiguration {

		static final InMemoryLockStore STORE = new InMemoryLockStore();

		@Bean
		LockStore ownLockStore() {
			return STORE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRecordingStoreConfiguration {

		static final RecordingLockStore STORE = new RecordingLockStore(new InMemoryLockStore());

		@Bean
		RecordingLockStore ownLockStore() {
			return STORE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingConsumerConfiguration {

		@Bean
		static RecordingConsumer recordingConsumer(RecordingLockStore locks) {
			return new RecordingConsumer(locks);
		}

	}

	static class RecordingConsumer {

		final RecordingLockStore locks;

		RecordingConsumer(RecordingLockStore locks) {
			this.locks = locks;
		}

	}

}
