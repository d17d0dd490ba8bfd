package dev.distlock.sample.report;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the report scenario. The lock's own settings are placeholders in the
 * annotations of {@link ReportService} and {@link ReportRefresher}
 * ({@code sample.report.wait-time}, {@code sample.report.refresh-interval}).
 *
 * @param computationTime how long computing a report takes
 * @param maxAge how long a computed report is served before it is computed again
 * @author Distributed Lock team
 */
@ConfigurationProperties("sample.report")
public record ReportProperties(@DefaultValue("3s") Duration computationTime, @DefaultValue("10m") Duration maxAge) {

}
