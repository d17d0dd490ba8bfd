package dev.distlock.sample.load;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.distlock.sample.load.LoadScenario.Outcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Fires concurrent requests of one scenario at one or more instances, round robin, and
 * counts what happened to each request's lock.
 *
 * @author Distributed Lock team
 */
@Component
public class LoadGenerator {

	private static final Log logger = LogFactory.getLog(LoadGenerator.class);

	private static final List<String> METER_OUTCOMES = List.of("acquired", "not_acquired", "error");

	private final RestClient restClient;

	LoadGenerator() {
		HttpClient httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(Duration.ofMinutes(2));
		this.restClient = RestClient.builder().requestFactory(requestFactory).build();
	}

	/**
	 * Run the load and wait for every request to finish.
	 * @param scenario the scenario
	 * @param requests how many requests to send
	 * @param concurrency how many requests to keep in flight at once
	 * @param keys over how many distinct lock keys (users, tables, reports) to spread the
	 * requests
	 * @param targets the base URLs of the instances, such as
	 * {@code http://localhost:8080}
	 * @return what happened
	 * @throws InterruptedException if interrupted while waiting for the requests
	 */
	public LoadReport run(LoadScenario scenario, int requests, int concurrency, int keys, List<String> targets)
			throws InterruptedException {
		List<Callable<Outcome>> calls = new ArrayList<>(requests);
		for (int i = 0; i < requests; i++) {
			String target = targets.get(i % targets.size());
			int key = (i % keys) + 1;
			calls.add(() -> send(scenario, target, key));
		}
		long start = System.nanoTime();
		List<Future<Outcome>> futures;
		ExecutorService executor = Executors.newFixedThreadPool(concurrency);
		try {
			futures = executor.invokeAll(calls);
		}
		finally {
			executor.shutdownNow();
		}
		long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
		List<Outcome> all = new ArrayList<>(requests);
		Map<String, List<Outcome>> perTarget = new LinkedHashMap<>();
		for (int i = 0; i < futures.size(); i++) {
			Outcome outcome = outcomeOf(futures.get(i));
			all.add(outcome);
			perTarget.computeIfAbsent(targets.get(i % targets.size()), (target) -> new ArrayList<>()).add(outcome);
		}
		Map<String, LoadReport.Counts> byTarget = new LinkedHashMap<>();
		perTarget.forEach((target, outcomes) -> byTarget.put(target, LoadReport.Counts.of(outcomes)));
		Map<String, Map<String, Object>> meters = new LinkedHashMap<>();
		targets.forEach((target) -> meters.put(target, acquireMeter(target, scenario.namespace())));
		LoadReport report = new LoadReport(scenario.name().toLowerCase(Locale.ROOT), scenario.namespace(), requests,
				concurrency, keys, elapsedMs, LoadReport.Counts.of(all), byTarget, meters);
		logger.info("Load " + report.scenario() + ": " + requests + " requests, concurrency " + concurrency + ", "
				+ keys + " keys, " + elapsedMs + " ms: " + report.total() + "; distributed.lock.acquire " + meters);
		return report;
	}

	private Outcome send(LoadScenario scenario, String target, int key) {
		try {
			return this.restClient.post()
				.uri(target + scenario.path(), key)
				.exchange((request, response) -> scenario.classify(response.getStatusCode(),
						isJson(response.getHeaders().getContentType()) ? response.bodyTo(Map.class) : null));
		}
		catch (RestClientException ex) {
			logger.debug("Load request to " + target + " failed", ex);
			return Outcome.ERROR;
		}
	}

	private static boolean isJson(@Nullable MediaType contentType) {
		return contentType != null && contentType.getSubtype().endsWith("json");
	}

	private static Outcome outcomeOf(Future<Outcome> future) throws InterruptedException {
		try {
			return future.get();
		}
		catch (ExecutionException ex) {
			return Outcome.ERROR;
		}
	}

	/*
	 * Read the target's {@code distributed.lock.acquire} counts by outcome through its
	 * metrics endpoint; the meter exists once the target has tried to acquire a lock of
	 * the namespace with Micrometer present.
	 */
	private Map<String, Object> acquireMeter(String target, String namespace) {
		Map<String, Object> counts = new LinkedHashMap<>();
		if (meterCount(target, "tag=namespace:" + namespace) == null) {
			counts.put("available", false);
			return counts;
		}
		for (String outcome : METER_OUTCOMES) {
			Double count = meterCount(target, "tag=namespace:" + namespace + "&tag=outcome:" + outcome);
			counts.put(outcome, (count != null) ? count.longValue() : 0L);
		}
		return counts;
	}

	private @Nullable Double meterCount(String target, String query) {
		try {
			return this.restClient.get()
				.uri(target + "/actuator/metrics/distributed.lock.acquire?" + query)
				.exchange((request, response) -> {
					HttpStatusCode status = response.getStatusCode();
					if (!status.is2xxSuccessful()) {
						return null;
					}
					Map<?, ?> body = response.bodyTo(Map.class);
					return (body != null) ? countOf(body) : null;
				});
		}
		catch (RestClientException ex) {
			logger.debug("Could not read the metrics of " + target, ex);
			return null;
		}
	}

	private static @Nullable Double countOf(Map<?, ?> meter) {
		if (meter.get("measurements") instanceof List<?> measurements) {
			for (Object measurement : measurements) {
				if (measurement instanceof Map<?, ?> values && "COUNT".equals(values.get("statistic"))
						&& values.get("value") instanceof Number value) {
					return value.doubleValue();
				}
			}
		}
		return null;
	}

}
