package dev.distlock.benchmarks.compare;

import java.util.EnumSet;
import java.util.Set;

/**
 * One lock implementation under comparison on one store.
 *
 * @param name the name shown in the report, such as {@code Redisson RLock}
 * @param shortName the name of its ratio column, such as {@code Redisson}
 * @param store the server it runs on
 * @param role whether it is the floor, one of ours or a peer
 * @param waiting how it waits for a held lock, shown in the contended tables
 * @param nodes opens one node (a client with its own connections) of it
 * @param scenarios the kinds of scenario it takes part in
 * @author Distributed Lock team
 */
public record Contender(String name, String shortName, Store store, Role role, String waiting, NodeFactory nodes,
		Set<Scenario.Kind> scenarios) {

	/**
	 * The scenarios every lock takes part in: acquire + release, one hot key, hand-off.
	 */
	public static final Set<Scenario.Kind> CLASSIC = Set
		.copyOf(EnumSet.of(Scenario.Kind.UNCONTENDED, Scenario.Kind.CONTENDED, Scenario.Kind.HANDOFF));

	/**
	 * Create a contender.
	 * @param name the name shown in the report
	 * @param shortName the name of its ratio column
	 * @param store the server it runs on
	 * @param role whether it is the floor, one of ours or a peer
	 * @param waiting how it waits for a held lock
	 * @param nodes opens one node of it
	 * @param scenarios the kinds of scenario it takes part in
	 */
	public Contender {
		scenarios = Set.copyOf(scenarios);
	}

	/**
	 * Create a contender of the {@link #CLASSIC} scenarios.
	 * @param name the name shown in the report
	 * @param shortName the name of its ratio column
	 * @param store the server it runs on
	 * @param role whether it is the floor, one of ours or a peer
	 * @param waiting how it waits for a held lock
	 * @param nodes opens one node of it
	 */
	public Contender(String name, String shortName, Store store, Role role, String waiting, NodeFactory nodes) {
		this(name, shortName, store, role, waiting, nodes, CLASSIC);
	}

	/**
	 * Return this contender, also taking part in more scenarios.
	 * @param more the kinds to add
	 * @return the contender
	 */
	public Contender alsoIn(Scenario.Kind... more) {
		EnumSet<Scenario.Kind> all = EnumSet.noneOf(Scenario.Kind.class);
		all.addAll(this.scenarios);
		all.addAll(Set.of(more));
		return new Contender(this.name, this.shortName, this.store, this.role, this.waiting, this.nodes, all);
	}

	/**
	 * Return whether this contender takes part in a kind of scenario.
	 * @param kind the kind
	 * @return whether it does
	 */
	public boolean takesPartIn(Scenario.Kind kind) {
		return this.scenarios.contains(kind);
	}

	/**
	 * What a contender stands for in the report.
	 */
	public enum Role {

		/** The raw floor: the fewest round trips a correct lock needs. */
		FLOOR,

		/** This project's store. */
		OURS,

		/** Another library. */
		PEER,

		/**
		 * Another library in a mode that gives up a guarantee the others keep (such as a
		 * release without an owner check): shown for reference, never a bar.
		 */
		REFERENCE

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
