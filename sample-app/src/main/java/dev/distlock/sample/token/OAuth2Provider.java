package dev.distlock.sample.token;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.distlock.sample.SampleInstance;

import org.springframework.stereotype.Component;

/**
 * Stands in for an identity provider's token endpoint: slow, and not to be called twice
 * at once for one user. Real providers rotate the refresh token on every use, so a second
 * concurrent refresh with the same refresh token fails or revokes the session.
 *
 * @author Distributed Lock team
 */
@Component
public class OAuth2Provider {

	private final TokenProperties properties;

	private final SampleInstance instance;

	private final ConcurrentHashMap<Long, AtomicInteger> refreshes = new ConcurrentHashMap<>();

	OAuth2Provider(TokenProperties properties, SampleInstance instance) {
		this.properties = properties;
		this.instance = instance;
	}

	/**
	 * Exchange the user's refresh token for a new access token.
	 * @param userId the user
	 * @return the new access token
	 */
	public AccessToken refresh(long userId) {
		this.refreshes.computeIfAbsent(userId, (id) -> new AtomicInteger()).incrementAndGet();
		try {
			Thread.sleep(this.properties.providerLatency().toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while refreshing the token of user " + userId, ex);
		}
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		return new AccessToken(userId, UUID.randomUUID().toString(), now, now.plus(this.properties.lifetime()),
				this.instance.name());
	}

	/**
	 * Return how many times this instance called the provider for a user.
	 * @param userId the user
	 * @return the number of refreshes
	 */
	public int refreshCount(long userId) {
		AtomicInteger count = this.refreshes.get(userId);
		return (count != null) ? count.get() : 0;
	}

}
