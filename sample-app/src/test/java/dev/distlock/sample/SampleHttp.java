package dev.distlock.sample;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.distlock.core.HeldLock;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.awaitility.Awaitility.await;

/**
 * Test helpers to call the running application and watch its locks.
 *
 * @author Distributed Lock team
 */
public final class SampleHttp {

	/**
	 * A JSON object as a map.
	 */
	public static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	private SampleHttp() {
	}

	/**
	 * Return a client of the application on the given port.
	 * @param port the port
	 * @return the client
	 */
	public static RestClient client(int port) {
		return RestClient.create("http://localhost:" + port);
	}

	/**
	 * Send a request and return its response as a JSON object, whatever its status.
	 * @param request the request, up to {@code retrieve()}
	 * @return the response
	 */
	public static ResponseEntity<Map<String, Object>> exchange(RestClient.RequestHeadersSpec<?> request) {
		return request.retrieve().onStatus((status) -> true, (req, res) -> {
		}).toEntity(JSON_OBJECT);
	}

	/**
	 * Run a call on another thread, as a concurrent client would.
	 * @param call the call
	 * @param <T> the result type
	 * @return the future result
	 */
	public static <T> CompletableFuture<T> async(Supplier<T> call) {
		return CompletableFuture.supplyAsync(call);
	}

	/**
	 * Wait until this instance holds the given locks, all at the same time.
	 * @param lockTemplate the application's lock template
	 * @param keys the keys
	 */
	public static void awaitHeld(LockTemplate lockTemplate, LockKey... keys) {
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> lockTemplate.heldLocks()
				.stream()
				.map(HeldLock::key)
				.toList()
				.containsAll(Stream.of(keys).map(LockKey::asString).toList()));
	}

}
