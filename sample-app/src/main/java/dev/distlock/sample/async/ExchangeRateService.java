package dev.distlock.sample.async;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.distlock.annotation.DistributedLock;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Refreshes exchange rates from a slow remote service, at most once at a time per
 * currency across every instance, without blocking a thread while it waits: the method
 * returns a {@link CompletableFuture}, the caller gets it at once, the method runs once
 * the lock is held, and the lock is released when the future completes.
 *
 * @author Distributed Lock team
 */
@Service
public class ExchangeRateService {

	private final Executor remoteCalls;

	private final Duration latency;

	private final AtomicInteger fetches = new AtomicInteger();

	ExchangeRateService(@Qualifier("applicationTaskExecutor") Executor remoteCalls,
			@Value("${sample.rates.latency:400ms}") Duration latency) {
		this.remoteCalls = remoteCalls;
		this.latency = latency;
	}

	/**
	 * Fetch the latest rate of a currency. A second call for the same currency while one
	 * runs waits up to five seconds for it (without a thread), then fetches again.
	 * @param currency the currency
	 * @return the rate, once fetched
	 */
	@DistributedLock(namespace = "exchange_rates", keys = "#currency", waitTime = "5s")
	public CompletableFuture<ExchangeRate> refresh(String currency) {
		return CompletableFuture.supplyAsync(() -> fetch(currency),
				CompletableFuture.delayedExecutor(this.latency.toMillis(), TimeUnit.MILLISECONDS, this.remoteCalls));
	}

	private ExchangeRate fetch(String currency) {
		this.fetches.incrementAndGet();
		BigDecimal rate = BigDecimal.valueOf(0.8 + (Math.abs(currency.hashCode()) % 100) / 250.0)
			.setScale(4, RoundingMode.HALF_UP);
		return new ExchangeRate(currency, rate, Instant.now(), Thread.currentThread().getName());
	}

	/**
	 * Return how many times the remote service was called.
	 * @return the number of fetches
	 */
	public int fetches() {
		return this.fetches.get();
	}

}
