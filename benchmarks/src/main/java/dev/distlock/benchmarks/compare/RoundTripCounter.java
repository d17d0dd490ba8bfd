package dev.distlock.benchmarks.compare;

/**
 * Counts the round trips a node makes to its store, for the scenarios that report them
 * (such as renewal).
 *
 * @author Distributed Lock team
 */
public interface RoundTripCounter extends AutoCloseable {

	/**
	 * Read the counts so far; only differences between two readings mean anything.
	 * @return the counts
	 */
	Counts read();

	/**
	 * Describe what is counted and where, for the report.
	 * @return the description
	 */
	String source();

	/**
	 * Return whether the counts are the whole server's (so other clients of the server
	 * add to them), rather than this node's own.
	 * @return whether they are server-wide
	 */
	default boolean isServerWide() {
		return false;
	}

	/**
	 * Release what the counter holds (such as a connection to read server statistics).
	 */
	@Override
	default void close() {
	}

	/**
	 * Counts at one moment.
	 *
	 * @param roundTrips the round trips: script calls on Redis, statements on a database
	 * @param commands every command the server ran, those inside scripts included
	 * (Redis), or the round trips again
	 */
	record Counts(long roundTrips, long commands) {

		/**
		 * Return the counts since an earlier reading.
		 * @param earlier the earlier reading
		 * @return the difference
		 */
		public Counts since(Counts earlier) {
			return new Counts(this.roundTrips - earlier.roundTrips, this.commands - earlier.commands);
		}

	}

}
