package dev.distlock.benchmarks.compare;

import java.util.Locale;

/**
 * One measured situation.
 *
 * @param kind what is measured
 * @param threads the number of threads (or concurrent callers) that drive it
 * @param count how many of the things the kind is about: idle subscribed nodes, held
 * leases or waiting callers; zero where the kind has none
 * @author Distributed Lock team
 */
public record Scenario(Kind kind, int threads, int count) {

	/**
	 * Create a scenario that has no count.
	 * @param kind what is measured
	 * @param threads the number of threads
	 */
	public Scenario(Kind kind, int threads) {
		this(kind, threads, 0);
	}

	/**
	 * Return a title for the report.
	 * @return the title
	 */
	public String title() {
		return switch (this.kind) {
			case UNCONTENDED -> "Acquire + release, " + threads(" thread") + ", distinct keys";
			case CONTENDED -> "One key, " + this.threads + " threads on 2 nodes";
			case HANDOFF -> "Hand-off to a waiter on another node";
			case IDLE_SUBSCRIBERS -> "One release with 1 vs " + this.count + " idle instances subscribed";
			case RENEWAL -> String.format(Locale.ROOT, "%,d held locks under renewal", this.count);
			case WAITERS -> String.format(Locale.ROOT, "%,d callers waiting at once for one key", this.count);
			case ASYNC_UNCONTENDED -> "Acquire + release without blocking, " + threads(" caller") + ", distinct keys";
		};
	}

	private String threads(String noun) {
		return this.threads + noun + ((this.threads == 1) ? "" : "s");
	}

	/**
	 * What a scenario measures.
	 */
	public enum Kind {

		/** Acquire + release cycles, each thread on its own key. */
		UNCONTENDED("uncontended"),

		/** Threads on two nodes competing for one key. */
		CONTENDED("contended"),

		/**
		 * A holder on one node releases while a waiter on the other waits: the time from
		 * just before the release to the waiter's acquire returning.
		 */
		HANDOFF("handoff"),

		/**
		 * One node's acquire + release cycle while 1, then many, other nodes that have
		 * each waited once (and so hold their wake-up subscription) sit idle.
		 */
		IDLE_SUBSCRIBERS("idle"),

		/**
		 * One node holds many locks with automatic renewal and a short lease: the store
		 * round trips and the client CPU time per renewal period.
		 */
		RENEWAL("renewal"),

		/**
		 * Many callers of one node wait at once for one key through a non-blocking API:
		 * the threads alive while they wait and the time until all are served.
		 */
		WAITERS("waiters"),

		/**
		 * Acquire + release cycles through non-blocking APIs (callers are pending
		 * completions, not threads) beside the blocking ones, each caller on its own key.
		 */
		ASYNC_UNCONTENDED("async");

		private final String id;

		Kind(String id) {
			this.id = id;
		}

		/**
		 * Return the name used in {@code bench.scenarios}.
		 * @return the name, such as {@code renewal}
		 */
		public String id() {
			return this.id;
		}

		/**
		 * Find a kind by its {@link #id()}.
		 * @param id the name
		 * @return the kind
		 * @throws IllegalArgumentException if no kind has that name
		 */
		public static Kind of(String id) {
			for (Kind kind : values()) {
				if (kind.id.equalsIgnoreCase(id.trim())) {
					return kind;
				}
			}
			StringBuilder known = new StringBuilder();
			for (Kind kind : values()) {
				known.append((known.length() > 0) ? ", " : "").append(kind.id);
			}
			throw new IllegalArgumentException("Unknown scenario '" + id + "' (known: " + known + ")");
		}

	}

}
