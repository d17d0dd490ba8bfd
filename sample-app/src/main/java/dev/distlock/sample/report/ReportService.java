package dev.distlock.sample.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.distlock.annotation.DistributedLock;
import dev.distlock.sample.report.ReportResponse.Status;

import org.springframework.stereotype.Service;

/**
 * Computes a report once while concurrent requests for it wait, py-dspinlock's "avoid
 * duplicate computations while a query already runs": the first request computes under
 * the report's lock; the others wait for that lock (woken when it is released) and then
 * find the fresh result instead of computing it again.
 *
 * @author Distributed Lock team
 */
@Service
public class ReportService {

	private final ReportGenerator generator;

	private final ReportRepository reports;

	ReportService(ReportGenerator generator, ReportRepository reports) {
		this.generator = generator;
		this.reports = reports;
	}

	/**
	 * Return a report no older than {@code maxAge}, computing it if there is none. Waits
	 * up to {@code sample.report.wait-time} for a computation of the same report that is
	 * running on this or another instance, then fails with
	 * {@link dev.distlock.core.LockNotAcquiredException} (409).
	 * @param reportId the report
	 * @param maxAge how old a stored report may be; zero computes it again
	 * @return the report and whether this call computed it
	 */
	@DistributedLock(namespace = "report", keys = "#reportId", waitTime = "${sample.report.wait-time:10s}")
	public ReportResponse get(String reportId, Duration maxAge) {
		Optional<Report> recent = this.reports.find(reportId)
			.filter((report) -> report.computedAt().isAfter(Instant.now().minus(maxAge)));
		if (recent.isPresent()) {
			return new ReportResponse(Status.REUSED, recent.get());
		}
		Report report = this.generator.generate(reportId);
		this.reports.save(report);
		return new ReportResponse(Status.COMPUTED, report);
	}

}
