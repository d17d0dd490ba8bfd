package dev.distlock.sample.report;

import org.jspecify.annotations.Nullable;

/**
 * A report endpoint's answer: the report and what this request did to get it.
 *
 * @param status what this request did
 * @param report the report; {@code null} only when a refresh was skipped before any
 * report was stored
 * @author Distributed Lock team
 */
public record ReportResponse(Status status, @Nullable Report report) {

	/**
	 * What a request did to answer.
	 */
	public enum Status {

		/**
		 * This request computed the report.
		 */
		COMPUTED,

		/**
		 * This request found a recent report, possibly one that a concurrent request
		 * computed while this one waited for the lock, and did not compute it again.
		 */
		REUSED,

		/**
		 * This request computed the report again on demand.
		 */
		REFRESHED,

		/**
		 * A refresh of this report started less than the refresh interval ago, on this or
		 * another instance: this request did not compute it and returns the latest stored
		 * report.
		 */
		SKIPPED

	}

}
