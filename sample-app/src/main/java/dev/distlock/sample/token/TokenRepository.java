package dev.distlock.sample.token;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Stores access tokens in the application's database, so that every instance sees a token
 * that any of them refreshed.
 *
 * @author Distributed Lock team
 */
@Repository
public class TokenRepository {

	private final JdbcClient jdbc;

	TokenRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Return the stored token of a user.
	 * @param userId the user
	 * @return the token, or empty if none was stored
	 */
	public Optional<AccessToken> findByUserId(long userId) {
		return this.jdbc
			.sql("SELECT user_id, access_token, issued_at, expires_at, refreshed_by FROM oauth_token WHERE user_id = ?")
			.param(userId)
			.query((rs, row) -> new AccessToken(rs.getLong("user_id"), rs.getString("access_token"),
					rs.getObject("issued_at", OffsetDateTime.class).toInstant(),
					rs.getObject("expires_at", OffsetDateTime.class).toInstant(), rs.getString("refreshed_by")))
			.optional();
	}

	/**
	 * Store a user's token, replacing the previous one. Callers hold the user's
	 * {@code token_refresh} lock, so an update followed by an insert cannot race.
	 * @param token the token
	 */
	public void save(AccessToken token) {
		int updated = this.jdbc
			.sql("UPDATE oauth_token SET access_token = ?, issued_at = ?, expires_at = ?, refreshed_by = ? "
					+ "WHERE user_id = ?")
			.params(token.accessToken(), utc(token.issuedAt()), utc(token.expiresAt()), token.refreshedBy(),
					token.userId())
			.update();
		if (updated == 0) {
			this.jdbc
				.sql("INSERT INTO oauth_token (user_id, access_token, issued_at, expires_at, refreshed_by) "
						+ "VALUES (?, ?, ?, ?, ?)")
				.params(token.userId(), token.accessToken(), utc(token.issuedAt()), utc(token.expiresAt()),
						token.refreshedBy())
				.update();
		}
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
