package dev.distlock.autoconfigure.web;

import java.net.URI;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockNotAcquiredException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The answer to a request whose lock was held by someone else: {@code 409 Conflict} with
 * an RFC 9457 problem that names the namespace, and the key only when it may be
 * disclosed.
 *
 * @author Distributed Lock team
 */
final class LockNotAcquiredProblems {

	/**
	 * The problem type of a request refused because its lock is held.
	 */
	static final URI TYPE = URI.create("urn:distlock:problem:lock-not-acquired");

	private LockNotAcquiredProblems() {
	}

	static ResponseEntity<ProblemDetail> conflict(LockNotAcquiredException ex, boolean showKey) {
		LockKey key = ex.getKey();
		String lock = showKey ? key.asString() : key.namespace();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"The lock '" + lock + "' is held by another caller; retry later.");
		problem.setType(TYPE);
		problem.setTitle("Lock not acquired");
		problem.setProperty("namespace", key.namespace());
		if (showKey) {
			problem.setProperty("key", key.asString());
		}
		return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
	}

}
