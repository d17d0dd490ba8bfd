package dev.distlock.actuate;

import dev.distlock.core.FaultyLockStore;
import dev.distlock.memory.InMemoryLockStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DistributedLockHealthIndicator}.
 *
 * @author Distributed Lock team
 */
class DistributedLockHealthIndicatorTests {

	@Test
	void upWhenTheStoreAnswers() {
		Health health = new DistributedLockHealthIndicator(new InMemoryLockStore()).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("store", "in-memory");
	}

	@Test
	void downWithTheReasonWhenTheStoreFails() {
		FaultyLockStore registry = new FaultyLockStore(new InMemoryLockStore()).failAvailability();
		Health health = new DistributedLockHealthIndicator(registry).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("store", "in-memory")
			.containsEntry("error", "dev.distlock.core.LockStoreException: Store unreachable");
	}

}
