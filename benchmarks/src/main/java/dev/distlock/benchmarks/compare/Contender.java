package dev.distlock.benchmarks.compare;

/**
 * One lock implementation under comparison on one store.
 *
 * @param name the name shown in the report, such as {@code Redisson RLock}
 * @param shortName the name of its ratio column, such as {@code Redisson}
 * @param store the server it runs on
 * @param role whether it is the floor, one of ours or a peer
 * @param waiting how it waits for a held lock, shown in the contended tables
 * @param nodes opens one node (a client with its own connections) of it
 */
public record Contender(String name, String shortName, Store store, Role role, String waiting, NodeFactory nodes) {

	/**
	 * What a contender stands for in the report.
	 */
	public enum Role {

		/** The raw floor: the fewest round trips a correct lock needs. */
		FLOOR,

		/** This project's store. */
		OURS,

		/** Another library. */
		PEER

	}

	/**
	 * The servers under comparison.
	 */
	public enum Store {

		/** Redis. */
		REDIS("Redis"),

		/** PostgreSQL. */
		POSTGRESQL("PostgreSQL"),

		/** MariaDB. */
		MARIADB("MariaDB");

		private final String title;

		Store(String title) {
			this.title = title;
		}

		/**
		 * Return the name shown in the report.
		 * @return the title
		 */
		public String title() {
			return this.title;
		}

	}

	/**
	 * Opens nodes of a contender.
	 */
	@FunctionalInterface
	public interface NodeFactory {

		/**
		 * Open one node with its own connections.
		 * @return the node
		 * @throws Exception if it could not connect
		 */
		LockClient open() throws Exception;

	}

}
