package dev.distlock.sample.token;

import java.time.Instant;

/**
 * A user's OAuth2 access token as the application stores it.
 *
 * @param userId the user
 * @param accessToken the token value
 * @param issuedAt when the provider issued it
 * @param expiresAt when it expires
 * @param refreshedBy the instance that refreshed it
 * @author Distributed Lock team
 */
public record AccessToken(long userId, String accessToken, Instant issuedAt, Instant expiresAt, String refreshedBy) {

	/**
	 * Return whether the token is still valid at the given time.
	 * @param time the time
	 * @return whether it has not expired by then
	 */
	public boolean isValidAt(Instant time) {
		return this.expiresAt.isAfter(time);
	}

}
