package dev.distlock.sample.web;

import java.net.URI;

import dev.distlock.core.LockStoreException;
import dev.distlock.sample.inventory.StaleFencingTokenException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Maps the sample's own lock-related failures to RFC 9457 problem responses. A lock held
 * by another request needs nothing here: the starter answers
 * {@code LockNotAcquiredException} with 409 Conflict and a problem naming the lock's
 * namespace.
 *
 * @author Distributed Lock team
 */
@RestControllerAdvice
public class LockExceptionHandler {

	/**
	 * Problem type of a write refused because a newer lock holder has written since.
	 */
	public static final URI STALE_FENCING_TOKEN = URI.create("urn:distlock:problem:stale-fencing-token");

	/**
	 * Problem type of a request that failed because the lock store could not be reached.
	 */
	public static final URI LOCK_STORE_UNAVAILABLE = URI.create("urn:distlock:problem:lock-store-unavailable");

	/**
	 * A newer lock holder has written since this request's lock was taken: this request
	 * lost its lease while it was paused, and its write was refused.
	 * @param ex the failure
	 * @return a 409 problem with both fencing tokens
	 */
	@ExceptionHandler
	ProblemDetail staleFencingToken(StaleFencingTokenException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setType(STALE_FENCING_TOKEN);
		problem.setTitle("Stale fencing token");
		problem.setProperty("fencingToken", ex.getFencingToken());
		problem.setProperty("acceptedFencingToken", ex.getAcceptedFencingToken());
		return problem;
	}

	/**
	 * The lock store failed: nothing ran, and the lock state is unknown rather than
	 * "held", so the client should not simply retry as after a 409.
	 * @param ex the failure
	 * @return a 503 problem
	 */
	@ExceptionHandler
	ProblemDetail lockStoreUnavailable(LockStoreException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		problem.setType(LOCK_STORE_UNAVAILABLE);
		problem.setTitle("Lock store unavailable");
		return problem;
	}

}
