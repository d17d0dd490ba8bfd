package dev.distlock.sample.async;

import java.util.concurrent.CompletableFuture;

import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints for the asynchronous examples. Spring MVC handles both return types: the
 * request thread is released while the lock and the work are pending.
 *
 * @author Distributed Lock team
 */
@RestController
public class AsyncController {

	private final ExchangeRateService rates;

	private final ForecastService forecasts;

	AsyncController(ExchangeRateService rates, ForecastService forecasts) {
		this.rates = rates;
		this.forecasts = forecasts;
	}

	/**
	 * Refresh an exchange rate; concurrent refreshes of one currency run one after the
	 * other.
	 * @param currency the currency
	 * @return the rate
	 */
	@PostMapping("/rates/{currency}/refresh")
	public CompletableFuture<ExchangeRate> refreshRate(@PathVariable String currency) {
		return this.rates.refresh(currency);
	}

	/**
	 * Compute a forecast: 200 with it, or 204 if another request computes it right now.
	 * @param sku the product
	 * @return the forecast, or no content
	 */
	@GetMapping("/products/{sku}/forecast")
	public Mono<ResponseEntity<Forecast>> forecast(@PathVariable String sku) {
		return this.forecasts.forecast(sku).map(ResponseEntity::ok).defaultIfEmpty(ResponseEntity.noContent().build());
	}

}
