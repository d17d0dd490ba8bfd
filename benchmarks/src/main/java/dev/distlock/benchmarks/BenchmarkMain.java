package dev.distlock.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.distlock.benchmarks.compare.BenchSettings;
import dev.distlock.benchmarks.compare.Report;
import dev.distlock.benchmarks.compare.Scenario;
import dev.distlock.benchmarks.compare.SideBySide;
import dev.distlock.benchmarks.compare.StoreRun;
import dev.distlock.benchmarks.jmh.JmhSuite;

/**
 * Runs the JMH microbenchmarks and the side-by-side comparison, prints progress on
 * standard error and the Markdown report on standard output (and to
 * {@code -Dbench.output=FILE} if set).
 * <p>
 * Arguments: {@code all} (the default), {@code jmh} or {@code compare}. Settings are
 * {@code -Dbench.*} system properties, see {@code benchmarks/README.md}.
 *
 * @author Distributed Lock team
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	/**
	 * Run the benchmarks.
	 * @param args {@code all}, {@code jmh} or {@code compare}
	 * @throws Exception if a benchmark could not run
	 */
	public static void main(String[] args) throws Exception {
		// Keep the peers' client logs to warnings; the report is what matters here.
		System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
				System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
		// MariaDB's driver logs every error packet, such as the duplicate keys that
		// Spring
		// Integration's registry expects when it inserts a lock row that exists.
		System.setProperty("org.slf4j.simpleLogger.log.org.mariadb.jdbc",
				System.getProperty("org.slf4j.simpleLogger.log.org.mariadb.jdbc", "error"));
		String what = (args.length > 0) ? args[0] : "all";
		if (!List.of("all", "jmh", "compare").contains(what)) {
			System.err.println("Usage: java -jar benchmarks.jar [all|jmh|compare] (settings as -Dbench.*)");
			System.exit(2);
		}
		PrintStream progress = System.err;
		long start = System.nanoTime();
		String loadBefore = Environment.loadAverage();
		StringBuilder report = new StringBuilder("### Environment\n\n").append(Environment.describe());
		String jmh = null;
		if (!what.equals("compare")) {
			jmh = new JmhSuite(progress).run();
		}
		List<StoreRun> runs = null;
		BenchSettings settings = BenchSettings.read(System::getProperty, System::getenv);
		if (!what.equals("jmh")) {
			runs = new SideBySide(settings, progress).run();
		}
		report.append("- Took: ").append((System.nanoTime() - start) / 1_000_000_000).append(" s\n");
		report.append("- Load average (1 min) at start and end: ")
			.append(loadBefore)
			.append(", ")
			.append(Environment.loadAverage())
			.append('\n');
		if (runs != null) {
			report.append("- Side-by-side settings: warm-up ")
				.append(settings.warmup().toMillis())
				.append(" ms + ")
				.append(settings.measure().toMillis())
				.append(" ms measured per cell and round, ")
				.append(settings.rounds())
				.append(" rounds, JDBC pool ")
				.append(settings.poolSize())
				.append(" per node, lease ")
				.append(settings.leaseTime().toSeconds())
				.append(" s; scenarios ")
				.append(settings.scenarios().stream().map(Scenario.Kind::id).toList())
				.append("\n");
		}
		if (jmh != null) {
			report.append("\n### Microbenchmarks (JMH, in-memory store, one thread)\n\n").append(jmh);
		}
		if (runs != null) {
			report.append("\n### Side by side\n\n").append(Report.render(runs, settings));
		}
		String text = report.toString();
		System.out.println(text);
		String output = System.getProperty("bench.output");
		if (output != null && !output.isBlank()) {
			writeReport(Path.of(output), text);
		}
		// Some peers' clients leave non-daemon threads behind.
		System.exit(0);
	}

	private static void writeReport(Path path, String text) throws IOException {
		Path parent = path.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		Files.writeString(path, text, StandardCharsets.UTF_8);
	}

}
