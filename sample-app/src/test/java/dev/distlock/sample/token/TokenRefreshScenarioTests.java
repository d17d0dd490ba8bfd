package dev.distlock.sample.token;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import dev.distlock.sample.SampleApplicationTest;
import dev.distlock.sample.SampleHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token refresh per user: a concurrent refresh fails fast with 409, and clients that
 * retry with backoff get the token that the winning request refreshed.
 *
 * @author Distributed Lock team
 */
@SampleApplicationTest
@ExtendWith(OutputCaptureExtension.class)
class TokenRefreshScenarioTests {

	@LocalServerPort
	private int port;

	@Autowired
	private LockTemplate lockTemplate;

	@Autowired
	private OAuth2Provider provider;

	@Test
	void concurrentRefreshOfTheSameUserFailsFastWithAProblemNamingTheLock(CapturedOutput output) throws Exception {
		RestClient client = SampleHttp.client(this.port);
		CompletableFuture<AccessToken> first = SampleHttp
			.async(() -> client.post().uri("/users/101/token/refresh").retrieve().body(AccessToken.class));
		SampleHttp.awaitHeld(this.lockTemplate, LockKey.of("token_refresh", 101));

		ResponseEntity<Map<String, Object>> conflict = SampleHttp
			.exchange(client.post().uri("/users/101/token/refresh"));
		assertThat(conflict.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(conflict.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(conflict.getBody()).containsEntry("type", "urn:distlock:problem:lock-not-acquired")
			.containsEntry("namespace", "token_refresh")
			.as("the key carries the user id: not shown unless show-values allows")
			.doesNotContainKey("key")
			.hasEntrySatisfying("detail",
					(detail) -> assertThat(detail.toString()).contains("'token_refresh'").contains("retry"));

		assertThat(output).as("a held lock is an answer, not a server error")
			.doesNotContain("LockNotAcquiredException")
			.doesNotContain(" ERROR ");

		AccessToken refreshed = first.get(10, TimeUnit.SECONDS);
		assertThat(this.provider.refreshCount(101)).as("the provider was called once").isEqualTo(1);
		AccessToken next = client.post().uri("/users/101/token/refresh").retrieve().body(AccessToken.class);
		assertThat(next).as("the lock was released: the next refresh runs").isNotNull();
		assertThat(next.accessToken()).isNotEqualTo(refreshed.accessToken());
	}

	@Test
	void clientsRetryingWithBackoffAllGetTheOneRefreshedToken() throws Exception {
		AtomicInteger conflicts = new AtomicInteger();
		RestClient countingConflicts = RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.requestInterceptor((request, body, execution) -> {
				ClientHttpResponse response = execution.execute(request, body);
				if (response.getStatusCode() == HttpStatus.CONFLICT) {
					conflicts.incrementAndGet();
				}
				return response;
			})
			.build();
		TokenClient tokenClient = new TokenClient(countingConflicts);
		int clients = 6;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(clients);
		try {
			List<Future<AccessToken>> tokens = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				tokens.add(executor.submit(() -> {
					start.await();
					return tokenClient.currentToken(102);
				}));
			}
			start.countDown();
			List<String> values = new ArrayList<>();
			for (Future<AccessToken> token : tokens) {
				values.add(token.get(30, TimeUnit.SECONDS).accessToken());
			}
			assertThat(values).hasSize(clients).containsOnly(values.get(0));
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.provider.refreshCount(102)).as("one refresh for all clients").isEqualTo(1);
		assertThat(conflicts).as("clients that arrived during the refresh got 409 and retried").hasPositiveValue();
	}

}
