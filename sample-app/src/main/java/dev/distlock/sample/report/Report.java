package dev.distlock.sample.report;

import java.time.Instant;

/**
 * A computed report.
 *
 * @param reportId the report
 * @param content the result of the computation
 * @param computedAt when the computation finished
 * @param computedBy the instance that computed it
 * @author Distributed Lock team
 */
public record Report(String reportId, String content, Instant computedAt, String computedBy) {

}
