package dev.distlock.test.autoconfigure.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.LockKey;
import dev.distlock.redis.RedisLockStore;
import dev.distlock.test.RecordingLockStore;
import dev.distlock.test.autoconfigure.AutoConfigureDistributedLock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.redis.test.autoconfigure.DataRedisTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.distlock.test.RecordingLockStoreAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AutoConfigureDistributedLock @AutoConfigureDistributedLock} in a
 * {@code @DataRedisTest}: the locks live in the slice's Redis (a real server), and the
 * recording shows that concurrent visits of one page took turns.
 *
 * @author Distributed Lock team
 */
@DataRedisTest
@Import(VisitCounter.class)
@AutoConfigureDistributedLock
class AutoConfigureDistributedLockDataRedisIntegrationTests {

	@Autowired
	private VisitCounter counter;

	@Autowired
	private RecordingLockStore locks;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> RedisTestServer.uri().toString());
	}

	@Test
	void concurrentVisitsOfOnePageTakeTurnsOnRedis() throws Exception {
		assertThat(this.locks.getDelegate()).isInstanceOf(RedisLockStore.class);
		// A page of its own, so that a shared server needs no cleaning.
		String page = "home-" + UUID.randomUUID();
		ExecutorService visitors = Executors.newFixedThreadPool(4);
		try {
			List<Future<Long>> visits = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				visits.add(visitors.submit(() -> this.counter.visit(page)));
			}
			for (Future<Long> visit : visits) {
				visit.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			visitors.shutdownNow();
		}
		assertThat(this.counter.count(page)).as("no visit was lost").isEqualTo(20);
		assertThat(this.locks).hasLocked(LockKey.of("visits", page), 20)
			.hasLockedOnly(LockKey.of("visits", page))
			.hasNoOverlaps()
			.hasNoLocksHeld();
		assertThat(this.locks.acquisitions(LockKey.of("visits", page))).extracting("fencingToken")
			.as("fencing tokens increase with every holder")
			.isSorted();
	}

}
