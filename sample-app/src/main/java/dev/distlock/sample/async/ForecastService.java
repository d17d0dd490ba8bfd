package dev.distlock.sample.async;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import dev.distlock.annotation.DistributedLock;
import dev.distlock.annotation.OnFailure;
import dev.distlock.reactive.ReactiveLockContext;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Computes demand forecasts with Reactor, one computation per product at a time across
 * every instance. The method returns a {@link Mono}: each subscription acquires the lock
 * without blocking, holds it while the forecast is computed, and releases it exactly once
 * when the {@code Mono} completes, fails or is cancelled. A subscription that finds the
 * lock held is skipped (an empty {@code Mono}), since another instance computes the same
 * forecast right now.
 *
 * @author Distributed Lock team
 */
@Service
public class ForecastService {

	private final Duration computation;

	private final AtomicInteger computations = new AtomicInteger();

	ForecastService(@Value("${sample.forecast.computation-time:300ms}") Duration computation) {
		this.computation = computation;
	}

	/**
	 * Compute the forecast of a product, or complete empty if it is being computed.
	 * @param sku the product
	 * @return the forecast, or empty
	 */
	@DistributedLock(namespace = "forecast", keys = "#sku", onFailure = OnFailure.SKIP)
	public Mono<Forecast> forecast(String sku) {
		return ReactiveLockContext.currentLease()
			.delayElement(this.computation)
			.map((lease) -> new Forecast(sku, 100 + this.computations.incrementAndGet() % 7, lease.fencingToken(),
					Instant.now()));
	}

	/**
	 * Return how many forecasts were computed.
	 * @return the number of computations
	 */
	public int computations() {
		return this.computations.get();
	}

}
