package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.distlock.core.Lease;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockLostEvent;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockStores;
import dev.distlock.core.LockTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that an auto-configured application receives a {@link LockLostEvent} when a lease
 * is lost.
 *
 * @author Distributed Lock team
 */
class DistributedLockLostEventTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class))
		.withPropertyValues("distributed-lock.store=in-memory");

	@Test
	void whenLeaseIsLostShouldPublishEvent() {
		this.contextRunner.withUserConfiguration(LostLockListenerConfiguration.class).run((context) -> {
			LockKey key = LockKey.of("lost-event", 42);
			LockOptions renewing = LockOptions.builder().leaseTime(Duration.ofMillis(300)).autoRenew(true).build();
			List<LockLostEvent> events = context.getBean(LostLockListener.class).events;
			try (Lease lease = context.getBean(LockTemplate.class).acquire(key, renewing)) {
				context.getBean(LockTemplate.class).forceRelease(key);
				assertThat(LockStores.acquire(context.getBean(LockStore.class), key, "another-owner",
						Duration.ofSeconds(30)))
					.isPresent();
				await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
				assertThat(events).singleElement().satisfies((event) -> {
					assertThat(event.getKey()).isEqualTo(key);
					assertThat(event.getFencingToken()).isEqualTo(lease.fencingToken());
					assertThat(event.getStore()).isEqualTo("in-memory");
				});
			}
			assertThat(events).hasSize(1);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class LostLockListenerConfiguration {

		@Bean
		LostLockListener lostLockListener() {
			return new LostLockListener();
		}

	}

	static class LostLockListener {

		final List<LockLostEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void onLockLost(LockLostEvent event) {
			this.events.add(event);
		}

	}

}
