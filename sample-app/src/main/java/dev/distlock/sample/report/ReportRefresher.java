package dev.distlock.sample.report;

import java.time.Duration;
import java.util.Optional;

import dev.distlock.annotation.DistributedLock;
import dev.distlock.annotation.OnFailure;

import org.springframework.stereotype.Service;

/**
 * Recomputes a report on demand, at most once per refresh interval across every instance,
 * however often users press "refresh". The lock is kept for {@code lockAtLeastFor} after
 * the refresh started, even though the refresh finishes sooner: until then, every other
 * refresh of the report is skipped.
 *
 * @author Distributed Lock team
 */
@Service
public class ReportRefresher {

	private final ReportService reportService;

	ReportRefresher(ReportService reportService) {
		this.reportService = reportService;
	}

	/**
	 * Recompute the report, unless a refresh of it started less than
	 * {@code sample.report.refresh-interval} ago.
	 * @param reportId the report
	 * @return the recomputed report, or empty if this refresh was skipped
	 */
	@DistributedLock(namespace = "report_refresh", keys = "#reportId",
			lockAtLeastFor = "${sample.report.refresh-interval:30s}", onFailure = OnFailure.SKIP)
	public Optional<Report> refresh(String reportId) {
		return Optional.ofNullable(this.reportService.get(reportId, Duration.ZERO).report());
	}

}
