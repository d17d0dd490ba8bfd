package dev.distlock.sample.load;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatusCode;

/**
 * The scenarios the load command can fire: which endpoint, which lock namespace, and how
 * an answer maps to a lock outcome.
 *
 * @author Distributed Lock team
 */
public enum LoadScenario {

	/**
	 * Refresh the token of user {@code key}: 200 acquired, 409 failed.
	 */
	TOKEN("token_refresh", "/users/{key}/token/refresh"),

	/**
	 * Process table {@code table_<key>} of database 1: 200 acquired, 409 failed.
	 */
	PROCESSING("data_processing", "/databases/1/tables/table_{key}/process"),

	/**
	 * Refresh report {@code report-<key>}: {@code REFRESHED} acquired, {@code SKIPPED}
	 * skipped.
	 */
	REPORT("report_refresh", "/reports/report-{key}/refresh");

	private final String namespace;

	private final String path;

	LoadScenario(String namespace, String path) {
		this.namespace = namespace;
		this.path = path;
	}

	/**
	 * Return the lock namespace that the scenario's endpoint locks.
	 * @return the namespace
	 */
	public String namespace() {
		return this.namespace;
	}

	/**
	 * Return the path of the endpoint to {@code POST} to, with a {@code {key}} variable.
	 * @return the path template
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Classify an answer.
	 * @param status the response status
	 * @param body the response body as a map, if it was JSON
	 * @return the lock outcome of the request
	 */
	public Outcome classify(HttpStatusCode status, @Nullable Map<?, ?> body) {
		if (status.value() == 409) {
			return Outcome.FAILED;
		}
		if (!status.is2xxSuccessful()) {
			return Outcome.ERROR;
		}
		return (body != null && "SKIPPED".equals(body.get("status"))) ? Outcome.SKIPPED : Outcome.ACQUIRED;
	}

	/**
	 * The lock outcome of one request.
	 */
	public enum Outcome {

		/**
		 * The request acquired the lock and did the work.
		 */
		ACQUIRED,

		/**
		 * The request did not acquire the lock and skipped the work by design.
		 */
		SKIPPED,

		/**
		 * The request did not acquire the lock: 409 Conflict.
		 */
		FAILED,

		/**
		 * The request failed for another reason (an error status, a connection failure).
		 */
		ERROR

	}

}
