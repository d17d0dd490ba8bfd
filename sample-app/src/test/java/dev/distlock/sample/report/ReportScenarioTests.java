package dev.distlock.sample.report;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.distlock.sample.SampleApplicationTest;
import dev.distlock.sample.SampleHttp;
import dev.distlock.sample.report.ReportResponse.Status;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long report computation: concurrent requests wait for the one computation instead of
 * repeating it, and refreshes are throttled with {@code lockAtLeastFor}.
 *
 * @author Distributed Lock team
 */
@SampleApplicationTest
class ReportScenarioTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ReportGenerator generator;

	@Test
	void concurrentRequestsWaitForOneComputationAndReuseItsResult() throws Exception {
		RestClient client = SampleHttp.client(this.port);
		int requests = 4;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(requests);
		List<ReportResponse> responses = new ArrayList<>();
		try {
			List<Future<ReportResponse>> futures = new ArrayList<>();
			for (int i = 0; i < requests; i++) {
				futures.add(executor.submit(() -> {
					start.await();
					return client.get().uri("/reports/r-201").retrieve().body(ReportResponse.class);
				}));
			}
			start.countDown();
			for (Future<ReportResponse> future : futures) {
				responses.add(future.get(30, TimeUnit.SECONDS));
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(responses).extracting(ReportResponse::status)
			.containsOnlyOnce(Status.COMPUTED)
			.containsOnly(Status.COMPUTED, Status.REUSED);
		assertThat(responses).extracting(ReportResponse::report).containsOnly(responses.get(0).report());
		assertThat(this.generator.computationCount("r-201")).isEqualTo(1);
	}

	@Test
	void refreshIsSkippedWhileTheLockIsKeptForTheRefreshInterval() {
		RestClient client = SampleHttp.client(this.port);
		ReportResponse first = client.post().uri("/reports/r-202/refresh").retrieve().body(ReportResponse.class);
		assertThat(first).isNotNull();
		assertThat(first.status()).isEqualTo(Status.REFRESHED);

		ReportResponse second = client.post().uri("/reports/r-202/refresh").retrieve().body(ReportResponse.class);
		assertThat(second).isNotNull();
		assertThat(second.status()).as("the refresh finished, but its lock is kept (lockAtLeastFor)")
			.isEqualTo(Status.SKIPPED);
		assertThat(second.report()).isEqualTo(first.report());
		assertThat(this.generator.computationCount("r-202")).isEqualTo(1);

		ReportResponse read = client.get().uri("/reports/r-202").retrieve().body(ReportResponse.class);
		assertThat(read).isNotNull();
		assertThat(read.status()).as("reading is not throttled").isEqualTo(Status.REUSED);
	}

}
