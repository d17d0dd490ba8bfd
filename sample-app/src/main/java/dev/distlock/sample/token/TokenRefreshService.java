package dev.distlock.sample.token;

import dev.distlock.annotation.DistributedLock;

import org.springframework.stereotype.Service;

/**
 * Refreshes a user's OAuth2 token, at most once at a time per user across every instance,
 * as Superset does with {@code KeyValueDistributedLock("token_refresh",
 * user_id=...)}.
 *
 * @author Distributed Lock team
 */
@Service
public class TokenRefreshService {

	private final OAuth2Provider provider;

	private final TokenRepository tokens;

	TokenRefreshService(OAuth2Provider provider, TokenRepository tokens) {
		this.provider = provider;
		this.tokens = tokens;
	}

	/**
	 * Refresh the user's token. Fails fast (the default wait time is zero): a request
	 * that finds the lock held gets {@link dev.distlock.core.LockNotAcquiredException},
	 * which the web layer answers with 409, and retries later to find the new token.
	 * <p>
	 * Called from another bean: a call from inside this class would bypass the proxy and
	 * run without the lock.
	 * @param userId the user
	 * @return the new token
	 */
	@DistributedLock(namespace = "token_refresh", keys = "#userId")
	public AccessToken refresh(long userId) {
		AccessToken token = this.provider.refresh(userId);
		this.tokens.save(token);
		return token;
	}

}
