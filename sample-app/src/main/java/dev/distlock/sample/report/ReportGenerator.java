package dev.distlock.sample.report;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.distlock.sample.SampleInstance;

import org.springframework.stereotype.Component;

/**
 * Stands in for an expensive query: it takes a while and loads the database, which is why
 * concurrent requests for the same report should not each run it.
 *
 * @author Distributed Lock team
 */
@Component
public class ReportGenerator {

	private final ReportProperties properties;

	private final SampleInstance instance;

	private final ConcurrentHashMap<String, AtomicInteger> computations = new ConcurrentHashMap<>();

	ReportGenerator(ReportProperties properties, SampleInstance instance) {
		this.properties = properties;
		this.instance = instance;
	}

	/**
	 * Compute a report.
	 * @param reportId the report
	 * @return the report
	 */
	public Report generate(String reportId) {
		this.computations.computeIfAbsent(reportId, (id) -> new AtomicInteger()).incrementAndGet();
		try {
			Thread.sleep(this.properties.computationTime().toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while computing report " + reportId, ex);
		}
		long rows = ThreadLocalRandom.current().nextLong(1_000, 1_000_000);
		return new Report(reportId, rows + " rows aggregated", Instant.now().truncatedTo(ChronoUnit.MICROS),
				this.instance.name());
	}

	/**
	 * Return how many times this instance computed a report.
	 * @param reportId the report
	 * @return the number of computations
	 */
	public int computationCount(String reportId) {
		AtomicInteger count = this.computations.get(reportId);
		return (count != null) ? count.get() : 0;
	}

}
