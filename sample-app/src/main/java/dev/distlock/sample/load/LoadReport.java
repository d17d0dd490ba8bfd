package dev.distlock.sample.load;

import java.util.List;
import java.util.Map;

/**
 * The result of a load run: lock outcomes counted from the HTTP answers, in total and per
 * target, and each target's {@code distributed.lock.acquire} meter for the scenario's
 * namespace (cumulative since that instance started).
 *
 * @param scenario the scenario fired
 * @param namespace the lock namespace it uses
 * @param requests the number of requests
 * @param concurrency how many were in flight at once
 * @param keys how many distinct lock keys the requests were spread over
 * @param elapsedMs how long the run took
 * @param total the outcomes of all requests
 * @param byTarget the outcomes per target instance
 * @param acquireMeter per target, the {@code distributed.lock.acquire} counts by
 * {@code outcome} tag, or {@code available=false} when the target has no such meter
 * @author Distributed Lock team
 */
public record LoadReport(String scenario, String namespace, int requests, int concurrency, int keys, long elapsedMs,
		Counts total, Map<String, Counts> byTarget, Map<String, Map<String, Object>> acquireMeter) {

	/**
	 * Outcome counts.
	 *
	 * @param acquired requests that acquired the lock and did the work
	 * @param skipped requests that skipped the work because the lock was held
	 * @param failed requests refused with 409 because the lock was held
	 * @param errors requests that failed otherwise
	 */
	public record Counts(int acquired, int skipped, int failed, int errors) {

		static Counts of(List<LoadScenario.Outcome> outcomes) {
			int[] counts = new int[LoadScenario.Outcome.values().length];
			outcomes.forEach((outcome) -> counts[outcome.ordinal()]++);
			return new Counts(counts[LoadScenario.Outcome.ACQUIRED.ordinal()],
					counts[LoadScenario.Outcome.SKIPPED.ordinal()], counts[LoadScenario.Outcome.FAILED.ordinal()],
					counts[LoadScenario.Outcome.ERROR.ordinal()]);
		}

	}

}
