package dev.distlock.benchmarks.jmh;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs this package's JMH benchmarks (one fork, short iterations: a 2-core machine has
 * little to give) and renders them as a Markdown table, with the overheads derived from
 * pairs of benchmarks.
 *
 * @author Distributed Lock team
 */
public final class JmhSuite {

	private final int forks;

	private final int warmupIterations;

	private final int iterations;

	private final String include;

	private final PrintStream progress;

	/**
	 * Create a suite from {@code bench.jmh.*} system properties.
	 * @param progress where JMH prints its progress
	 */
	public JmhSuite(PrintStream progress) {
		this.forks = Integer.getInteger("bench.jmh.forks", 1);
		this.warmupIterations = Integer.getInteger("bench.jmh.warmup-iterations", 2);
		this.iterations = Integer.getInteger("bench.jmh.iterations", 3);
		this.include = System.getProperty("bench.jmh.include",
				JmhSuite.class.getPackageName().replace(".", "\\.") + "\\..*");
		this.progress = progress;
	}

	/**
	 * Run the benchmarks.
	 * @return the Markdown table of results
	 * @throws RunnerException if JMH failed
	 */
	public String run() throws RunnerException {
		Options options = new OptionsBuilder().include(this.include)
			.forks(this.forks)
			.warmupIterations(this.warmupIterations)
			.warmupTime(TimeValue.seconds(1))
			.measurementIterations(this.iterations)
			.measurementTime(TimeValue.seconds(1))
			.shouldFailOnError(true)
			.build();
		Collection<RunResult> results = new Runner(options,
				OutputFormatFactory.createFormatInstance(this.progress, VerboseMode.NORMAL))
			.run();
		return render(results);
	}

	static String render(Collection<RunResult> results) {
		Map<String, Result<?>> byName = new LinkedHashMap<>();
		for (RunResult result : results) {
			String label = result.getParams().getBenchmark();
			byName.put(label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1),
					result.getPrimaryResult());
		}
		StringBuilder out = new StringBuilder();
		out.append("| benchmark | ns/op | ± ns/op (99.9%) |\n|---|--:|--:|\n");
		byName.forEach((name, result) -> out.append(
				String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", name, result.getScore(), result.getScoreError())));
		List<String> derived = new ArrayList<>();
		derive(derived, byName, "advice, fixed key", "AdviceBenchmark.annotatedMethod", "AdviceBenchmark.plainMethod");
		derive(derived, byName, "advice, keyed by argument", "AdviceBenchmark.annotatedMethodKeyedByArgument",
				"AdviceBenchmark.plainMethod");
		derive(derived, byName, "advice with lock meters", "AdviceBenchmark.annotatedMethodWithMetrics",
				"AdviceBenchmark.plainMethod");
		derive(derived, byName, "advice, CompletableFuture method", "AdviceBenchmark.annotatedFutureMethod",
				"AdviceBenchmark.plainFutureMethod");
		derive(derived, byName, "proxy alone", "AdviceBenchmark.unannotatedMethodOnProxy",
				"AdviceBenchmark.plainMethod");
		derive(derived, byName, "advice without template and store", "AdviceBenchmark.annotatedMethod",
				"TemplateBenchmark.execute");
		derive(derived, byName, "template overhead, auto-renew on", "TemplateBenchmark.execute",
				"TemplateBenchmark.storeCycle");
		derive(derived, byName, "template overhead, auto-renew off", "TemplateBenchmark.executeWithoutRenewal",
				"TemplateBenchmark.storeCycle");
		if (!derived.isEmpty()) {
			out.append("\n| derived (difference of means) | ns/call |\n|---|--:|\n");
			derived.forEach(out::append);
		}
		List<String> targets = new ArrayList<>();
		target(targets, byName, "advice overhead of a blocking method", "AdviceBenchmark.annotatedMethod",
				"AdviceBenchmark.plainMethod", 2);
		target(targets, byName, "advice overhead of a CompletableFuture method",
				"AdviceBenchmark.annotatedFutureMethod", "AdviceBenchmark.plainFutureMethod", 3);
		if (!targets.isEmpty()) {
			out.append("\nTargets (reported, not asserted):\n\n");
			targets.forEach(out::append);
		}
		return out.toString();
	}

	private static void target(List<String> targets, Map<String, Result<?>> byName, String label, String annotated,
			String plain, double underMicros) {
		Result<?> a = byName.get(annotated);
		Result<?> b = byName.get(plain);
		if (a != null && b != null) {
			double micros = (a.getScore() - b.getScore()) / 1000;
			targets.add(String.format(Locale.ROOT, "- %s under %.0f µs per call: %.2f µs %s%n", label, underMicros,
					micros, (micros < underMicros) ? "✓" : "✗"));
		}
	}

	private static void derive(List<String> derived, Map<String, Result<?>> byName, String label, String minuend,
			String subtrahend) {
		Result<?> a = byName.get(minuend);
		Result<?> b = byName.get(subtrahend);
		if (a != null && b != null) {
			derived.add(String.format(Locale.ROOT, "| %s (%s − %s) | %.1f |%n", label, minuend, subtrahend,
					a.getScore() - b.getScore()));
		}
	}

}
