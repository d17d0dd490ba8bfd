package dev.distlock.test.autoconfigure.webmvc;

import dev.distlock.core.LockNotAcquiredException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Refreshes a user's token; a refresh already running for the user answers 409.
 *
 * @author Distributed Lock team
 */
@RestController
class TokenController {

	private final TokenService tokens;

	TokenController(TokenService tokens) {
		this.tokens = tokens;
	}

	@PostMapping("/users/{userId}/token")
	String refresh(@PathVariable long userId) throws InterruptedException {
		return this.tokens.refresh(userId);
	}

	@ExceptionHandler
	ProblemDetail alreadyRefreshing(LockNotAcquiredException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "A refresh is already running");
	}

}
