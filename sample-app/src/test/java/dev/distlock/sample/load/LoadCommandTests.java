package dev.distlock.sample.load;

import java.util.Map;

import dev.distlock.sample.SampleApplicationTest;
import dev.distlock.sample.SampleHttp;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load command fires concurrent requests and counts their lock outcomes.
 *
 * @author Distributed Lock team
 */
@SampleApplicationTest
class LoadCommandTests {

	@LocalServerPort
	private int port;

	@Test
	void tokenLoadCountsAcquiredAndFailedRequests() {
		LoadReport report = load("/load?scenario=token&requests=24&concurrency=8&keys=2");
		assertThat(report.scenario()).isEqualTo("token");
		assertThat(report.namespace()).isEqualTo("token_refresh");
		LoadReport.Counts total = report.total();
		assertThat(total.errors()).isZero();
		assertThat(total.skipped()).isZero();
		assertThat(total.acquired() + total.failed()).isEqualTo(24);
		assertThat(total.acquired()).as("each user's token was refreshed at least once").isGreaterThanOrEqualTo(2);
		assertThat(total.failed()).as("8 requests in flight for 2 users: most find the lock held").isPositive();
		String self = "http://localhost:" + this.port;
		assertThat(report.byTarget()).containsOnlyKeys(self);
		assertThat(report.byTarget().get(self)).isEqualTo(total);
		Map<String, Object> meter = report.acquireMeter().get(self);
		assertThat(meter).as("cumulative since startup: at least this run's requests")
			.hasEntrySatisfying("acquired",
					(count) -> assertThat(((Number) count).intValue()).isGreaterThanOrEqualTo(total.acquired()))
			.hasEntrySatisfying("not_acquired",
					(count) -> assertThat(((Number) count).intValue()).isGreaterThanOrEqualTo(total.failed()))
			.containsKey("error");
	}

	@Test
	void reportLoadCountsSkippedRefreshes() {
		LoadReport report = load("/load?scenario=report&requests=8&concurrency=4&keys=1");
		assertThat(report.total()).as("one refresh, the others skipped while its lock is kept")
			.isEqualTo(new LoadReport.Counts(1, 7, 0, 0));
	}

	@Test
	void unknownScenarioIsABadRequest() {
		RestClient client = SampleHttp.client(this.port);
		assertThat(SampleHttp.exchange(client.post().uri("/load?scenario=nope")).getStatusCode())
			.isEqualTo(HttpStatus.BAD_REQUEST);
	}

	private LoadReport load(String uri) {
		LoadReport report = SampleHttp.client(this.port).post().uri(uri).retrieve().body(LoadReport.class);
		assertThat(report).isNotNull();
		return report;
	}

}
