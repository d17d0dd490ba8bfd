package dev.distlock.sample.report;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Stores the latest result of each report in the application's database, shared by every
 * instance.
 *
 * @author Distributed Lock team
 */
@Repository
public class ReportRepository {

	private final JdbcClient jdbc;

	ReportRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Return the latest stored result of a report.
	 * @param reportId the report
	 * @return the report, or empty if it was never computed
	 */
	public Optional<Report> find(String reportId) {
		return this.jdbc
			.sql("SELECT report_id, content, computed_at, computed_by FROM report_result WHERE report_id = ?")
			.param(reportId)
			.query((rs, row) -> new Report(rs.getString("report_id"), rs.getString("content"),
					rs.getObject("computed_at", OffsetDateTime.class).toInstant(), rs.getString("computed_by")))
			.optional();
	}

	/**
	 * Store a report's result, replacing the previous one. Callers hold the report's
	 * lock, so an update followed by an insert cannot race.
	 * @param report the report
	 */
	public void save(Report report) {
		OffsetDateTime computedAt = report.computedAt().atOffset(ZoneOffset.UTC);
		int updated = this.jdbc
			.sql("UPDATE report_result SET content = ?, computed_at = ?, computed_by = ? WHERE report_id = ?")
			.params(report.content(), computedAt, report.computedBy(), report.reportId())
			.update();
		if (updated == 0) {
			this.jdbc
				.sql("INSERT INTO report_result (report_id, content, computed_at, computed_by) VALUES (?, ?, ?, ?)")
				.params(report.reportId(), report.content(), computedAt, report.computedBy())
				.update();
		}
	}

}
