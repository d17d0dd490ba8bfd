package dev.distlock.benchmarks.jmh;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.LockKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What building a lock key costs: from a method argument, from named parts (sorted so
 * that their order never matters), its readable form and its name-based UUID (used by the
 * JDBC store).
 *
 * @author Distributed Lock team
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyBenchmark {

	private long userId = 42;

	private final Map<String, Object> parts = Map.of("database_id", 1, "table_name", "orders");

	/**
	 * A key from one argument, as {@code keys = "#userId"} gives.
	 * @return the key's readable form
	 */
	@Benchmark
	public String scalarKey() {
		return LockKey.of("token_refresh", this.userId).asString();
	}

	/**
	 * A key from named parts.
	 * @return the key's readable form
	 */
	@Benchmark
	public String namedPartsKey() {
		return LockKey.of("data_processing", this.parts).asString();
	}

	/**
	 * A key from one argument and its name-based UUID (a key caches its UUID, so each
	 * call builds a new key).
	 * @return the UUID
	 */
	@Benchmark
	public UUID scalarKeyId() {
		return LockKey.of("token_refresh", this.userId).id();
	}

}
