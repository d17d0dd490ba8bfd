package dev.distlock.sample.token;

import java.time.Instant;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Token endpoints. While one request refreshes a user's token, others for that user get
 * 409 Conflict and retry.
 *
 * @author Distributed Lock team
 */
@RestController
public class TokenController {

	private final TokenRepository tokens;

	private final TokenRefreshService refreshService;

	TokenController(TokenRepository tokens, TokenRefreshService refreshService) {
		this.tokens = tokens;
		this.refreshService = refreshService;
	}

	/**
	 * Return the user's valid access token, refreshing it first if it is missing or
	 * expired.
	 * @param userId the user
	 * @return the token
	 */
	@GetMapping("/users/{userId}/token")
	public AccessToken currentToken(@PathVariable long userId) {
		return this.tokens.findByUserId(userId)
			.filter((token) -> token.isValidAt(Instant.now()))
			.orElseGet(() -> this.refreshService.refresh(userId));
	}

	/**
	 * Refresh the user's access token now.
	 * @param userId the user
	 * @return the new token
	 */
	@PostMapping("/users/{userId}/token/refresh")
	public AccessToken refresh(@PathVariable long userId) {
		return this.refreshService.refresh(userId);
	}

}
