package dev.distlock.autoconfigure.web;

import dev.distlock.core.LockNotAcquiredException;

import org.springframework.core.Ordered;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.WebRequest;

/**
 * Answers a {@link LockNotAcquiredException} that reaches Spring MVC with
 * {@code 409 Conflict}, instead of a 500 logged as an error. Ordered last, so that an
 * {@code @ExceptionHandler} of the application's own (in a controller or an advice) wins.
 *
 * @author Distributed Lock team
 */
@ControllerAdvice
final class LockNotAcquiredExceptionHandler implements Ordered {

	private final LockKeyDisclosure disclosure;

	LockNotAcquiredExceptionHandler(LockKeyDisclosure disclosure) {
		this.disclosure = disclosure;
	}

	@ExceptionHandler(LockNotAcquiredException.class)
	ResponseEntity<ProblemDetail> lockNotAcquired(LockNotAcquiredException ex, WebRequest request) {
		boolean showKey = this.disclosure.allows(request.getUserPrincipal(), request::isUserInRole);
		return LockNotAcquiredProblems.conflict(ex, showKey);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
