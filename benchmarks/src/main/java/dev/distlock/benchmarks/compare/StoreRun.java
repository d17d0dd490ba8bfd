package dev.distlock.benchmarks.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The results of every contender on one store, in every scenario.
 *
 * @author Distributed Lock team
 */
public final class StoreRun {

	private final Contender.Store store;

	private final List<Contender> contenders;

	private final List<Scenario> scenarios;

	private final Map<Scenario, Map<String, CellResult>> results = new LinkedHashMap<>();

	private @Nullable String serverVersion;

	private @Nullable String skipped;

	/**
	 * Create an empty run.
	 * @param store the store
	 * @param contenders its contenders, the floor first
	 * @param scenarios the scenarios, in the order they run
	 */
	public StoreRun(Contender.Store store, List<Contender> contenders, List<Scenario> scenarios) {
		this.store = store;
		this.contenders = List.copyOf(contenders);
		this.scenarios = List.copyOf(scenarios);
	}

	/**
	 * Add a result of one round.
	 * @param scenario the scenario
	 * @param contender the contender
	 * @param result what it did
	 */
	public void add(Scenario scenario, Contender contender, CellResult result) {
		this.results.computeIfAbsent(scenario, (key) -> new LinkedHashMap<>())
			.computeIfAbsent(contender.name(), (key) -> new CellResult())
			.add(result);
	}

	/**
	 * Return the summed result of a contender in a scenario.
	 * @param scenario the scenario
	 * @param contender the contender
	 * @return the result, or {@code null} if it did not run
	 */
	public @Nullable CellResult result(Scenario scenario, Contender contender) {
		Map<String, CellResult> byContender = this.results.get(scenario);
		return (byContender != null) ? byContender.get(contender.name()) : null;
	}

	/**
	 * Return the store.
	 * @return the store
	 */
	public Contender.Store store() {
		return this.store;
	}

	/**
	 * Return the contenders, the floor first.
	 * @return the contenders
	 */
	public List<Contender> contenders() {
		return this.contenders;
	}

	/**
	 * Return the contenders that take part in a scenario, the floor first.
	 * @param scenario the scenario
	 * @return the contenders
	 */
	public List<Contender> contenders(Scenario scenario) {
		return this.contenders.stream().filter((contender) -> contender.takesPartIn(scenario.kind())).toList();
	}

	/**
	 * Return the scenarios.
	 * @return the scenarios
	 */
	public List<Scenario> scenarios() {
		return this.scenarios;
	}

	/**
	 * Return the server's version, if it answered.
	 * @return the version, or {@code null}
	 */
	public @Nullable String serverVersion() {
		return this.serverVersion;
	}

	void serverVersion(String serverVersion) {
		this.serverVersion = serverVersion;
	}

	/**
	 * Return why the store was not measured, if it was not.
	 * @return the reason, or {@code null}
	 */
	public @Nullable String skipped() {
		return this.skipped;
	}

	void skip(String reason) {
		this.skipped = reason;
	}

}
