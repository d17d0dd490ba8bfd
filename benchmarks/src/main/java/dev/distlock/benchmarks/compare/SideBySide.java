package dev.distlock.benchmarks.compare;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Runs every contender on every store through every scenario. Each scenario runs in
 * {@code bench.rounds} rounds that go through all of a store's contenders, in reverse
 * order every other round, so that warm-up of the JVM and drift of the machine favour
 * none; a contender's rounds are summed.
 *
 * @author Distributed Lock team
 */
public final class SideBySide {

	private final BenchSettings settings;

	private final PrintStream progress;

	/**
	 * Create a run.
	 * @param settings the settings
	 * @param progress where to print progress
	 */
	public SideBySide(BenchSettings settings, PrintStream progress) {
		this.settings = settings;
		this.progress = progress;
	}

	/**
	 * Measure every store the settings include.
	 * @return each store's results
	 */
	public List<StoreRun> run() {
		List<Contender> ours = OurContenders.create(this.settings);
		List<StoreRun> runs = new ArrayList<>();
		for (Contender.Store store : Contender.Store.values()) {
			if (!this.settings.stores().contains(store)) {
				continue;
			}
			List<Contender> others = (store == Contender.Store.REDIS) ? RedisContenders.create(this.settings)
					: JdbcContenders.create(this.settings, store);
			List<Contender> contenders = new ArrayList<>();
			others.stream().filter((c) -> c.role() == Contender.Role.FLOOR).forEach(contenders::add);
			ours.stream().filter((c) -> c.store() == store).forEach(contenders::add);
			others.stream().filter((c) -> c.role() != Contender.Role.FLOOR).forEach(contenders::add);
			contenders.removeIf((c) -> !this.settings.includes(c));
			List<Scenario> scenarios = scenarios(contenders);
			contenders.removeIf((c) -> scenarios.stream().noneMatch((scenario) -> c.takesPartIn(scenario.kind())));
			StoreRun run = new StoreRun(store, contenders, scenarios);
			runs.add(run);
			try {
				run.serverVersion(prepare(store));
			}
			catch (Exception ex) {
				run.skip(store.title() + " did not answer: " + ex.getMessage());
				this.progress.println("Skipping " + store.title() + ": " + ex.getMessage());
				continue;
			}
			measure(run);
		}
		return runs;
	}

	/*
	 * The scenarios of the run that one of this store's contenders other than the floor
	 * takes part in, in the order they run.
	 */
	private List<Scenario> scenarios(List<Contender> contenders) {
		List<Scenario> scenarios = new ArrayList<>();
		for (int threads : this.settings.threads()) {
			scenarios.add(new Scenario(Scenario.Kind.UNCONTENDED, threads));
		}
		scenarios.add(new Scenario(Scenario.Kind.CONTENDED, this.settings.contendedThreads()));
		scenarios.add(new Scenario(Scenario.Kind.HANDOFF, 2));
		scenarios.add(new Scenario(Scenario.Kind.IDLE_SUBSCRIBERS, 1, this.settings.idleNodes()));
		scenarios.add(new Scenario(Scenario.Kind.RENEWAL, 1, this.settings.renewal().leases()));
		scenarios.add(new Scenario(Scenario.Kind.WAITERS, 1, this.settings.waiters().callers()));
		for (int callers : this.settings.asyncCallers()) {
			scenarios.add(new Scenario(Scenario.Kind.ASYNC_UNCONTENDED, callers));
		}
		scenarios.removeIf((scenario) -> !this.settings.scenarios().contains(scenario.kind()) || contenders.stream()
			.noneMatch((c) -> c.role() != Contender.Role.FLOOR && c.takesPartIn(scenario.kind())));
		return scenarios;
	}

	private void measure(StoreRun run) {
		Scenarios scenarios = new Scenarios(this.settings);
		if (!this.settings.jvmWarmup().isZero()) {
			for (Contender contender : run.contenders()) {
				String failure = scenarios.warmUp(contender, this.settings.jvmWarmup());
				this.progress.println("[" + run.store().title() + "] warmed up " + contender.name()
						+ ((failure != null) ? ": FAILED " + failure : ""));
			}
		}
		for (Scenario scenario : run.scenarios()) {
			for (int round = 0; round < this.settings.rounds(); round++) {
				List<Contender> order = new ArrayList<>(run.contenders(scenario));
				if (round % 2 == 1) {
					Collections.reverse(order);
				}
				for (Contender contender : order) {
					CellResult result = scenarios.run(contender, scenario);
					run.add(scenario, contender, result);
					this.progress.println(progressLine(run.store(), scenario, round, contender, result));
				}
			}
		}
	}

	private String progressLine(Contender.Store store, Scenario scenario, int round, Contender contender,
			CellResult result) {
		String outcome;
		if (result.error() != null) {
			outcome = "FAILED " + result.error();
		}
		else {
			outcome = switch (scenario.kind()) {
				case HANDOFF -> String.format(Locale.ROOT, "%d hand-offs, mean %.3f ms",
						result.handoff().getTotalCount(), result.handoff().getMean() / 1e6);
				case CONTENDED -> String.format(Locale.ROOT,
						"%,.0f ops/s, holder changes %d of %d, waits p50 / p90 / p99 / p99.9 / longest %.3f / %.3f / %.3f / %.3f / %.3f ms, overlaps %d",
						result.throughput(), result.holderChanges(), result.operations(),
						result.waits().getValueAtPercentile(50) / 1e6, result.waits().getValueAtPercentile(90) / 1e6,
						result.waits().getValueAtPercentile(99) / 1e6, result.waits().getValueAtPercentile(99.9) / 1e6,
						result.waits().getMaxValue() / 1e6, result.overlaps());
				case IDLE_SUBSCRIBERS -> String.format(Locale.ROOT, "%,.0f ops/s with 1 idle, %,.0f with %d (%.2f×)",
						result.figure(Scenarios.IDLE_ONE), result.figure(Scenarios.IDLE_MANY), scenario.count(),
						result.figure(Scenarios.IDLE_RATIO));
				case RENEWAL -> String.format(Locale.ROOT,
						"%.0f leases, %.2f round trips per period per 100 leases, %.1f ms CPU per period, %.0f lost",
						result.figure(Scenarios.RENEWAL_HELD), result.figure(Scenarios.RENEWAL_ROUND_TRIPS),
						result.figure(Scenarios.RENEWAL_CPU), result.figure(Scenarios.RENEWAL_LOST));
				case WAITERS -> String.format(Locale.ROOT,
						"%d served in %.2f s, %d not acquired, library threads %.0f, all threads %.0f, overlaps %d",
						result.operations(), result.figure(Scenarios.WAITERS_SERVE_SECONDS), result.notAcquired(),
						result.figure(Scenarios.WAITERS_LIBRARY_MAX), result.figure(Scenarios.WAITERS_ALL_MAX),
						result.overlaps());
				case UNCONTENDED, ASYNC_UNCONTENDED -> String.format(Locale.ROOT, "%,.0f ops/s, p50 %.0f µs",
						result.throughput(), result.latency().getValueAtPercentile(50) / 1e3);
			};
		}
		return String.format(Locale.ROOT, "[%s] %s, round %d/%d, %s: %s", store.title(), scenario.title(), round + 1,
				this.settings.rounds(), contender.name(), outcome);
	}

	/*
	 * Check that the server answers, create what the contenders need, and return its
	 * version.
	 */
	private String prepare(Contender.Store store) throws Exception {
		if (store == Contender.Store.REDIS) {
			RedisClient client = RedisClient.create(RedisURI.create(this.settings.redisUrl()));
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				// Locks left by an interrupted run would refuse this run's first
				// attempts:
				// delete them (every contender's keys start with this benchmark's
				// prefix).
				ScanArgs match = ScanArgs.Builder.matches(RedisContenders.PREFIX + "*").limit(1000);
				KeyScanCursor<String> cursor = connection.sync().scan(match);
				while (true) {
					if (!cursor.getKeys().isEmpty()) {
						connection.sync().del(cursor.getKeys().toArray(new String[0]));
					}
					if (cursor.isFinished()) {
						break;
					}
					cursor = connection.sync().scan(cursor, match);
				}
				for (String line : connection.sync().info("server").split("\r?\n")) {
					if (line.startsWith("redis_version:")) {
						return line.substring("redis_version:".length()).trim();
					}
				}
				return "(version unknown)";
			}
			finally {
				client.shutdown();
			}
		}
		JdbcContenders.prepare(this.settings, store);
		try (HikariDataSource dataSource = JdbcContenders.dataSource(JdbcContenders.url(this.settings, store), 1,
				"version");
				Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT VERSION()")) {
			result.next();
			String version = result.getString(1);
			return version.replaceFirst("^PostgreSQL ", "").replaceFirst(" on .*", "");
		}
	}

}
