package dev.distlock.benchmarks.compare;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;

/**
 * Settings of a side-by-side run, from system properties ({@code -Dbench.*}), then the
 * {@code DISTLOCK_TEST_*_URL} environment variables shared with the tests, then the
 * servers on this machine.
 *
 * @param redisUrl the Redis server, such as {@code redis://127.0.0.1:6379}
 * @param postgresUrl the PostgreSQL JDBC URL
 * @param mariadbUrl the MariaDB JDBC URL
 * @param stores the stores to compare
 * @param only a pattern that contender names must contain, or {@code null} for all
 * @param jvmWarmup how long each contender runs, unmeasured, before a store's first
 * scenario, so that the JIT compiles every client before any cell counts
 * @param warmup the unmeasured time that starts each measured cell
 * @param measure the measured time of each cell, per round
 * @param rounds the number of rounds; each goes through every contender, alternating the
 * order so that drift favours none
 * @param threads the thread counts of the uncontended scenario (distinct keys)
 * @param contendedThreads the threads on one key, split over two nodes
 * @param handoffs the number of hand-offs to a waiter on another node
 * @param handoffSettle how long a holder waits, after asking the other node to wait,
 * before it releases
 * @param handoffTime the longest a contender's hand-offs may take, for peers that poll
 * @param retryInterval the retry interval of contenders that cannot wait
 * @param poolSize the connection pool size of every JDBC node
 * @param leaseTime the lease of every lock
 * @param scenarios the kinds of scenario to run
 * @param contendedHold how long each holder of the hot key keeps it (busy), besides the
 * release call itself
 * @param idleNodes the idle subscribed nodes of the second half of the idle-subscribers
 * scenario (the first half has one)
 * @param renewal the settings of the renewal scenario
 * @param waiters the settings of the waiters scenario
 * @param asyncCallers the numbers of concurrent callers of the non-blocking acquire +
 * release scenario
 * @author Distributed Lock team
 */
public record BenchSettings(String redisUrl, String postgresUrl, String mariadbUrl, Set<Contender.Store> stores,
		@Nullable Pattern only, Duration jvmWarmup, Duration warmup, Duration measure, int rounds, int[] threads,
		int contendedThreads, int handoffs, Duration handoffSettle, Duration handoffTime, Duration retryInterval,
		int poolSize, Duration leaseTime, Set<Scenario.Kind> scenarios, Duration contendedHold, int idleNodes,
		Renewal renewal, Waiters waiters, int[] asyncCallers) {

	/**
	 * Read the settings.
	 * @param properties where to read {@code bench.*} properties, such as
	 * {@code System::getProperty}
	 * @param environment where to read environment variables, such as
	 * {@code System::getenv}
	 * @return the settings
	 */
	public static BenchSettings read(Function<String, @Nullable String> properties,
			Function<String, @Nullable String> environment) {
		Reader reader = new Reader(properties);
		String redis = reader.string("bench.redis.url",
				or(environment.apply("DISTLOCK_TEST_REDIS_URL"), "redis://127.0.0.1:6379"));
		String postgres = reader.string("bench.postgres.url", or(environment.apply("DISTLOCK_TEST_POSTGRES_URL"),
				"jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
		String mariadb = reader.string("bench.mariadb.url", or(environment.apply("DISTLOCK_TEST_MARIADB_URL"),
				"jdbc:mariadb://127.0.0.1:3306/test?user=root&sslMode=disable"));
		Set<Contender.Store> stores = EnumSet.noneOf(Contender.Store.class);
		for (String store : reader.string("bench.stores", "redis,postgresql,mariadb").split(",")) {
			if (!store.isBlank()) {
				stores.add(Contender.Store.valueOf(store.trim().toUpperCase(Locale.ROOT)));
			}
		}
		String only = properties.apply("bench.only");
		Set<Scenario.Kind> scenarios = EnumSet.noneOf(Scenario.Kind.class);
		String chosen = reader.string("bench.scenarios", "all");
		if (chosen.trim().equalsIgnoreCase("all")) {
			scenarios.addAll(EnumSet.allOf(Scenario.Kind.class));
		}
		else {
			for (String scenario : chosen.split(",")) {
				if (!scenario.isBlank()) {
					scenarios.add(Scenario.Kind.of(scenario));
				}
			}
		}
		Renewal renewal = new Renewal(reader.integer("bench.renewal.leases", 10_000),
				reader.duration("bench.renewal.lease-time", "3s"), reader.integer("bench.renewal.periods", 3));
		Waiters waiters = new Waiters(reader.integer("bench.waiters.callers", 10_000),
				reader.duration("bench.waiters.hold", "100us"), reader.duration("bench.waiters.wait-time", "2m"));
		return new BenchSettings(redis, postgres, mariadb, stores,
				(only != null && !only.isBlank()) ? Pattern.compile(only, Pattern.CASE_INSENSITIVE) : null,
				reader.duration("bench.jvm-warmup", "1s"), reader.duration("bench.warmup", "500ms"),
				reader.duration("bench.measure", "1s"), reader.integer("bench.rounds", 2),
				reader.integers("bench.threads", "1,16"), reader.integer("bench.contended-threads", 8),
				reader.integer("bench.handoffs", 150), reader.duration("bench.handoff-settle", "3ms"),
				reader.duration("bench.handoff-time", "2s"), reader.duration("bench.retry-interval", "1ms"),
				reader.integer("bench.pool-size", 16), reader.duration("bench.lease-time", "30s"), scenarios,
				reader.duration("bench.contended-hold", "0ms"), reader.integer("bench.idle-nodes", 32), renewal,
				waiters, reader.integers("bench.async-callers", "1,16"));
	}

	/**
	 * Whether a contender takes part in this run.
	 * @param contender the contender
	 * @return whether to run it
	 */
	public boolean includes(Contender contender) {
		return this.stores.contains(contender.store()) && (this.only == null
				|| this.only.matcher(contender.name()).find() || contender.role() == Contender.Role.FLOOR);
	}

	/**
	 * Whether a contender takes part in a scenario of this run.
	 * @param contender the contender
	 * @param kind the kind of scenario
	 * @return whether to run it there
	 */
	public boolean includes(Contender contender, Scenario.Kind kind) {
		return this.scenarios.contains(kind) && contender.takesPartIn(kind) && includes(contender);
	}

	private static String or(@Nullable String value, String fallback) {
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	private record Reader(Function<String, @Nullable String> properties) {

		String string(String name, String fallback) {
			return or(this.properties.apply(name), fallback);
		}

		int integer(String name, int fallback) {
			return Integer.parseInt(string(name, Integer.toString(fallback)).trim());
		}

		Duration duration(String name, String fallback) {
			return DurationStyle.detectAndParse(string(name, fallback).trim());
		}

		int[] integers(String name, String fallback) {
			String[] values = string(name, fallback).split(",");
			int[] numbers = new int[values.length];
			for (int i = 0; i < numbers.length; i++) {
				numbers[i] = Integer.parseInt(values[i].trim());
			}
			return numbers;
		}

	}

	/**
	 * The renewal scenario: one node holds many locks with automatic renewal.
	 *
	 * @param leases how many locks it holds
	 * @param leaseTime the lease of each (renewed at about a third of it)
	 * @param periods how many renewal periods (a third of the lease each) are measured
	 */
	public record Renewal(int leases, Duration leaseTime, int periods) {

		/**
		 * Return the renewal period: a third of the lease, as this project and Redisson
		 * renew.
		 * @return the period
		 */
		public Duration period() {
			return this.leaseTime.dividedBy(3);
		}

	}

	/**
	 * The waiters scenario: many callers of one node wait at once for one key.
	 *
	 * @param callers how many callers wait
	 * @param hold how long each holds the lock (busy, on whatever thread runs its
	 * section)
	 * @param waitTime how long each may wait
	 */
	public record Waiters(int callers, Duration hold, Duration waitTime) {

	}

}
