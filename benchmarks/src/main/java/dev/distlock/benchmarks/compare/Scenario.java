package dev.distlock.benchmarks.compare;

/**
 * One measured situation.
 *
 * @param kind what is measured
 * @param threads the number of threads
 */
public record Scenario(Kind kind, int threads) {

	/**
	 * Return a title for the report.
	 * @return the title
	 */
	public String title() {
		return switch (this.kind) {
			case UNCONTENDED -> "Acquire + release, " + this.threads + ((this.threads == 1) ? " thread" : " threads")
					+ ", distinct keys";
			case CONTENDED -> "One key, " + this.threads + " threads on 2 nodes";
			case HANDOFF -> "Hand-off to a waiter on another node";
		};
	}

	/**
	 * What a scenario measures.
	 */
	public enum Kind {

		/** Acquire + release cycles, each thread on its own key. */
		UNCONTENDED,

		/** Threads on two nodes competing for one key. */
		CONTENDED,

		/**
		 * A holder on one node releases while a waiter on the other waits: the time from
		 * just before the release to the waiter's acquire returning.
		 */
		HANDOFF

	}

}
