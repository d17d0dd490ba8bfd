package dev.distlock.test.autoconfigure.webmvc;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockStore;
import dev.distlock.memory.InMemoryLockStore;
import dev.distlock.test.RecordingLockStore;
import dev.distlock.test.autoconfigure.AutoConfigureDistributedLock;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.distlock.test.RecordingLockStoreAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AutoConfigureDistributedLock @AutoConfigureDistributedLock} in a
 * {@code @WebMvcTest}: the slice has no lock auto-configuration of its own, and with the
 * annotation a locked service behind a controller is locked (in memory, as the slice has
 * no database) and recorded.
 *
 * @author Distributed Lock team
 */
@WebMvcTest(TokenController.class)
@Import(TokenService.class)
@AutoConfigureDistributedLock
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureDistributedLockWebMvcIntegrationTests {

	private static final LockKey USER_42 = LockKey.of("token_refresh", 42);

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private RecordingLockStore locks;

	@Autowired
	private LockStore lockStore;

	@Autowired
	private TokenService tokens;

	@Test
	@Order(1)
	void theServiceBehindTheControllerIsLockedPerUser() {
		assertThat(this.mvc.post().uri("/users/42/token")).hasStatusOk().bodyText().startsWith("token-42-");
		assertThat(this.mvc.post().uri("/users/42/token")).hasStatusOk();
		assertThat(this.mvc.post().uri("/users/7/token")).hasStatusOk();
		assertThat(this.locks).hasLocked(USER_42, 2)
			.hasLocked(LockKey.of("token_refresh", 7), 1)
			.hasLockedOnly(USER_42, LockKey.of("token_refresh", 7))
			.hasNoOverlaps()
			.hasNoLocksHeld();
		assertThat(this.lockStore).isSameAs(this.locks);
		assertThat(this.locks.getDelegate()).isInstanceOf(InMemoryLockStore.class);
	}

	@Test
	@Order(2)
	void aSecondRefreshWhileTheFirstRunsIsRefusedAndTheFirstTestsLocksAreForgotten() throws Exception {
		CountDownLatch gate = new CountDownLatch(1);
		this.tokens.holdNextRefreshUntil(gate);
		ExecutorService client = Executors.newSingleThreadExecutor();
		try {
			Future<MvcTestResult> first = client.submit(() -> this.mvc.post().uri("/users/42/token").exchange());
			await().atMost(Duration.ofSeconds(10)).until(() -> !this.locks.held().isEmpty());
			assertThat(this.mvc.post().uri("/users/42/token")).hasStatus(HttpStatus.CONFLICT);
			gate.countDown();
			assertThat(first.get(30, TimeUnit.SECONDS)).hasStatusOk();
		}
		finally {
			client.shutdownNow();
		}
		// The first test's two acquisitions were cleared before this one started.
		assertThat(this.locks).hasLocked(USER_42, 1).hasNotAcquired(USER_42, 1).hasNoOverlaps().hasNoLocksHeld();
	}

}
