package dev.distlock.sample.web;

import java.net.URI;

import dev.distlock.core.LockNotAcquiredException;
import dev.distlock.core.LockStoreException;
import dev.distlock.sample.inventory.StaleFencingTokenException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Maps lock failures to RFC 9457 problem responses, so that a client can tell "someone
 * else is doing this right now, retry" (409) from "the lock store is down" (503).
 *
 * @author Distributed Lock team
 */
@RestControllerAdvice
public class LockExceptionHandler {

	/**
	 * Problem type of a request refused because another request holds its lock.
	 */
	public static final URI LOCK_HELD = URI.create("urn:distlock:problem:lock-held");

	/**
	 * Problem type of a write refused because a newer lock holder has written since.
	 */
	public static final URI STALE_FENCING_TOKEN = URI.create("urn:distlock:problem:stale-fencing-token");

	/**
	 * Problem type of a request that failed because the lock store could not be reached.
	 */
	public static final URI LOCK_STORE_UNAVAILABLE = URI.create("urn:distlock:problem:lock-store-unavailable");

	/**
	 * The lock is held by another request, on this instance or another: the work is
	 * already being done. 409 with a {@code Retry-After} hint; the client retries with
	 * backoff and then usually finds the result of that other request.
	 * @param ex the failure
	 * @return a 409 problem naming the lock
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> lockHeld(LockNotAcquiredException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Lock '" + ex.getKey()
				+ "' is held by another request, which is doing this work now. Retry after a short backoff.");
		problem.setType(LOCK_HELD);
		problem.setTitle("Lock held by another request");
		problem.setProperty("lock", ex.getKey().asString());
		problem.setProperty("namespace", ex.getKey().namespace());
		problem.setProperty("waitedMs", ex.getWaited().toMillis());
		return ResponseEntity.status(HttpStatus.CONFLICT).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
	}

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
	 * "held".
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
