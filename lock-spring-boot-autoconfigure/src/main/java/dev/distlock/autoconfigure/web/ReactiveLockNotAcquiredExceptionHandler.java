package dev.distlock.autoconfigure.web;

import dev.distlock.core.LockNotAcquiredException;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers a {@link LockNotAcquiredException} that reaches Spring WebFlux with
 * {@code 409 Conflict}, instead of a 500 logged as an error. Ordered last, so that an
 * {@code @ExceptionHandler} of the application's own (in a controller or an advice) wins.
 *
 * @author Distributed Lock team
 */
@ControllerAdvice
final class ReactiveLockNotAcquiredExceptionHandler implements Ordered {

	private final LockKeyDisclosure disclosure;

	ReactiveLockNotAcquiredExceptionHandler(LockKeyDisclosure disclosure) {
		this.disclosure = disclosure;
	}

	@ExceptionHandler(LockNotAcquiredException.class)
	Mono<ResponseEntity<ProblemDetail>> lockNotAcquired(LockNotAcquiredException ex, ServerWebExchange exchange) {
		// WebFlux has no role check of its own: Show consults Spring Security's
		// authorities when the principal is an Authentication.
		return exchange.getPrincipal()
			.map((principal) -> this.disclosure.allows(principal, (role) -> false))
			.defaultIfEmpty(this.disclosure.allows(null, (role) -> false))
			.map((showKey) -> LockNotAcquiredProblems.conflict(ex, showKey));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
