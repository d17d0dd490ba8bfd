package dev.distlock.sample.report;

import dev.distlock.sample.report.ReportResponse.Status;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Report endpoints. The response's {@code status} says what the request did:
 * {@code COMPUTED}, {@code REUSED} (found a recent result, maybe after waiting for a
 * concurrent computation), {@code REFRESHED} or {@code SKIPPED} (refreshed too recently).
 *
 * @author Distributed Lock team
 */
@RestController
public class ReportController {

	private final ReportService reportService;

	private final ReportRefresher refresher;

	private final ReportRepository reports;

	private final ReportProperties properties;

	ReportController(ReportService reportService, ReportRefresher refresher, ReportRepository reports,
			ReportProperties properties) {
		this.reportService = reportService;
		this.refresher = refresher;
		this.reports = reports;
		this.properties = properties;
	}

	/**
	 * Return the report, computing it once if no recent result exists.
	 * @param reportId the report
	 * @return the report, {@code COMPUTED} or {@code REUSED}
	 */
	@GetMapping("/reports/{reportId}")
	public ReportResponse report(@PathVariable String reportId) {
		return this.reportService.get(reportId, this.properties.maxAge());
	}

	/**
	 * Recompute the report, unless it was refreshed less than the refresh interval ago.
	 * @param reportId the report
	 * @return the report, {@code REFRESHED} or {@code SKIPPED}
	 */
	@PostMapping("/reports/{reportId}/refresh")
	public ReportResponse refresh(@PathVariable String reportId) {
		return this.refresher.refresh(reportId)
			.map((report) -> new ReportResponse(Status.REFRESHED, report))
			.orElseGet(() -> new ReportResponse(Status.SKIPPED, this.reports.find(reportId).orElse(null)));
	}

}
