package dev.distlock.sample.token;

import java.time.Duration;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * The client side of the token scenario: asks for a user's token and, when the answer is
 * 409 Conflict (another request is refreshing it right now), retries with exponential
 * backoff and jitter, until it gets the token that the other request refreshed.
 *
 * <pre class="code">
 * TokenClient client = new TokenClient(RestClient.create("http://localhost:8080"));
 * AccessToken token = client.currentToken(42);
 * </pre>
 *
 * @author Distributed Lock team
 */
public class TokenClient {

	/**
	 * Retry a 409 up to 8 times, 100 ms apart at first, doubling up to 2 s, each with up
	 * to 50 ms of jitter so that waiting clients do not come back in lock step.
	 */
	public static final RetryPolicy RETRY_ON_CONFLICT = RetryPolicy.builder()
		.includes(HttpClientErrorException.Conflict.class)
		.maxRetries(8)
		.delay(Duration.ofMillis(100))
		.multiplier(2)
		.maxDelay(Duration.ofSeconds(2))
		.jitter(Duration.ofMillis(50))
		.build();

	private final RestClient restClient;

	private final RetryTemplate retryTemplate;

	/**
	 * Create a client that retries with {@link #RETRY_ON_CONFLICT}.
	 * @param restClient a client whose base URL is the application's
	 */
	public TokenClient(RestClient restClient) {
		this(restClient, RETRY_ON_CONFLICT);
	}

	/**
	 * Create a client.
	 * @param restClient a client whose base URL is the application's
	 * @param retryPolicy when and how often to retry
	 */
	public TokenClient(RestClient restClient, RetryPolicy retryPolicy) {
		this.restClient = restClient;
		this.retryTemplate = new RetryTemplate(retryPolicy);
	}

	/**
	 * Return the user's valid access token, retrying while another request refreshes it.
	 * @param userId the user
	 * @return the token
	 * @throws HttpClientErrorException.Conflict if the token was still being refreshed
	 * after the last retry
	 */
	public AccessToken currentToken(long userId) {
		return this.retryTemplate.invoke(
				() -> this.restClient.get().uri("/users/{userId}/token", userId).retrieve().body(AccessToken.class));
	}

}
