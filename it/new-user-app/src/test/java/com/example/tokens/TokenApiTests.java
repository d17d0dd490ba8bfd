package com.example.tokens;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.LockKey;
import dev.distlock.test.RecordingLockStore;
import dev.distlock.test.autoconfigure.AutoConfigureDistributedLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.web.client.RestClient;

import static dev.distlock.test.RecordingLockStoreAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The application over HTTP, with its real lock store (the H2 database), and the test kit
 * recording what was locked.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureDistributedLock
class TokenApiTests {

	@LocalServerPort
	private int port;

	@Autowired
	private RecordingLockStore locks;

	@MockitoBean
	private IdentityProvider identityProvider;

	private final ExecutorService clients = Executors.newFixedThreadPool(8);

	@AfterEach
	void stopClients() {
		this.clients.shutdownNow();
	}

	@Test
	void theLocksLiveInTheApplicationsDatabase() {
		assertThat(this.locks.storeName()).isEqualTo("jdbc");
	}

	@Test
	void aSecondRefreshWhileTheFirstRunsIsRefused() throws Exception {
		CountDownLatch inside = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		given(this.identityProvider.issueToken(42)).willAnswer((invocation) -> {
			inside.countDown();
			finish.await(30, TimeUnit.SECONDS);
			return "token-42";
		});
		Future<ResponseEntity<String>> first = this.clients.submit(() -> post("/users/42/token"));
		assertThat(inside.await(30, TimeUnit.SECONDS)).as("the first refresh started").isTrue();
		ResponseEntity<String> second = post("/users/42/token");
		finish.countDown();
		assertThat(first.get(30, TimeUnit.SECONDS).getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(second.getStatusCode().isError()).as("the second refresh is refused, not run: %s", second)
			.isTrue();
		verify(this.identityProvider, times(1)).issueToken(42);
		assertThat(this.locks).hasLocked(LockKey.of("token_refresh", 42), 1)
			.hasNotAcquired(LockKey.of("token_refresh", 42), 1)
			.hasNoOverlaps()
			.hasNoLocksHeld();
	}

	@Test
	void concurrentRequestsForOneReportTakeTurns() throws Exception {
		LocalDate day = LocalDate.of(2026, 12, 1);
		List<Future<ResponseEntity<String>>> requests = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			requests.add(this.clients.submit(() -> post("/reports/" + day)));
		}
		for (Future<ResponseEntity<String>> request : requests) {
			assertThat(request.get(60, TimeUnit.SECONDS).getStatusCode()).isEqualTo(HttpStatus.OK);
		}
		assertThat(this.locks).hasLocked(LockKey.of("usage_report", day), 8)
			.hasLockedOnly(LockKey.of("usage_report", day))
			.hasNoOverlaps()
			.hasNoLocksHeld();
	}

	private ResponseEntity<String> post(String path) {
		return RestClient.create("http://localhost:" + this.port)
			.post()
			.uri(path)
			.exchange((request, response) -> ResponseEntity.status(response.getStatusCode())
				.body(new String(response.getBody().readAllBytes())), true);
	}

}
