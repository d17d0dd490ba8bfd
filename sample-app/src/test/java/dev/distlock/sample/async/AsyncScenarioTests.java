package dev.distlock.sample.async;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import dev.distlock.sample.SampleApplicationTest;
import dev.distlock.sample.SampleHttp;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The asynchronous examples over HTTP: concurrent refreshes of one exchange rate run one
 * after the other (the later ones wait for the lock without a thread), and a forecast
 * requested while another request computes it is skipped with 204.
 *
 * @author Distributed Lock team
 */
@SampleApplicationTest
class AsyncScenarioTests {

	@LocalServerPort
	private int port;

	@Autowired
	private LockTemplate lockTemplate;

	@Autowired
	private ExchangeRateService rates;

	@Autowired
	private ForecastService forecasts;

	@Test
	void concurrentRefreshesOfOneRateWaitForEachOther() throws Exception {
		RestClient client = SampleHttp.client(this.port);
		int before = this.rates.fetches();
		List<CompletableFuture<ExchangeRate>> refreshes = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			refreshes.add(SampleHttp
				.async(() -> client.post().uri("/rates/EUR/refresh").retrieve().body(ExchangeRate.class)));
		}
		List<ExchangeRate> results = new ArrayList<>();
		for (CompletableFuture<ExchangeRate> refresh : refreshes) {
			results.add(refresh.get(30, TimeUnit.SECONDS));
		}
		assertThat(results).extracting(ExchangeRate::currency).containsOnly("EUR");
		assertThat(results).extracting(ExchangeRate::fetchedAt).doesNotHaveDuplicates();
		assertThat(this.rates.fetches() - before).isEqualTo(3);
		assertThat(this.lockTemplate.heldLocks()).isEmpty();
	}

	@Test
	void aForecastBeingComputedIsSkippedWithNoContent() throws Exception {
		RestClient client = SampleHttp.client(this.port);
		CompletableFuture<ResponseEntity<Forecast>> first = SampleHttp
			.async(() -> client.get().uri("/products/sku-1/forecast").retrieve().toEntity(Forecast.class));
		SampleHttp.awaitHeld(this.lockTemplate, LockKey.of("forecast", "sku-1"));
		ResponseEntity<Forecast> skipped = client.get()
			.uri("/products/sku-1/forecast")
			.retrieve()
			.toEntity(Forecast.class);
		assertThat(skipped.getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
		ResponseEntity<Forecast> computed = first.get(30, TimeUnit.SECONDS);
		assertThat(computed.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(computed.getBody().fencingToken()).isPositive();
		assertThat(this.forecasts.computations()).isPositive();
	}

}
