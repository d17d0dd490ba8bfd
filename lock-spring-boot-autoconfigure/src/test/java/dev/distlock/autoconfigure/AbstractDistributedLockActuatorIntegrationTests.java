package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.jayway.jsonpath.JsonPath;
import dev.distlock.core.Lease;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockStores;
import dev.distlock.core.LockTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of the lock meters, the {@code distributedlocks} endpoint and the
 * {@code distributedLock} health contributor in a running web application, over HTTP. A
 * subclass chooses the lock store; one whose store can be stopped also shows health
 * turning DOWN.
 *
 * @author Distributed Lock team
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		classes = AbstractDistributedLockActuatorIntegrationTests.ActuatorTestApplication.class,
		properties = { "management.endpoints.web.exposure.include=health,metrics,distributedlocks",
				"management.endpoint.health.show-details=always",
				"management.endpoint.distributedlocks.access=unrestricted" })
abstract class AbstractDistributedLockActuatorIntegrationTests {

	private static final LockOptions NO_RENEWAL = LockOptions.builder().autoRenew(false).build();

	@LocalServerPort
	private int port;

	@Autowired
	private LockTemplate lockTemplate;

	@Autowired
	private LockStore lockRegistry;

	private RestClient client;

	private final String namespace = "actuator_" + UUID.randomUUID().toString().replace("-", "");

	/**
	 * Return the store kind the subclass configured.
	 * @return the expected {@code store} tag and health detail
	 */
	protected abstract String expectedStore();

	@BeforeEach
	void createClient() {
		this.client = RestClient.builder()
			.baseUrl("http://localhost:" + this.port + "/actuator")
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	@Test
	void acquireMetricShowsAcquiredAndNotAcquiredAfterContention() throws Exception {
		LockKey key = LockKey.of(this.namespace, 42);
		try (Lease lease = this.lockTemplate.acquire(key, NO_RENEWAL)) {
			assertThat(lease.isValid()).isTrue();
			boolean acquiredElsewhere = CompletableFuture
				.supplyAsync(() -> this.lockTemplate.tryAcquire(key, NO_RENEWAL).isPresent())
				.get();
			assertThat(acquiredElsewhere).isFalse();
		}
		String metric = get("/metrics/distributed.lock.acquire?tag=namespace:" + this.namespace);
		List<String> outcomes = JsonPath.read(metric, "$.availableTags[?(@.tag == 'outcome')].values[*]");
		assertThat(outcomes).contains("acquired", "not_acquired");
		List<String> stores = JsonPath.read(metric, "$.availableTags[?(@.tag == 'store')].values[*]");
		assertThat(stores).containsExactly(expectedStore());
		assertThat(count("acquired")).isEqualTo(1);
		assertThat(count("not_acquired")).isEqualTo(1);
		String held = get("/metrics/distributed.lock.held?tag=namespace:" + this.namespace);
		assertThat(measuredCount(held)).isEqualTo(1);
	}

	@Test
	void eachLockIsTimedOnceThroughTheObservations() {
		this.lockTemplate.execute(LockKey.of(this.namespace, 1), () -> "done");
		assertThat(count("acquired")).isEqualTo(1);
		String acquire = get("/metrics/distributed.lock.acquire?tag=namespace:" + this.namespace);
		List<String> tags = JsonPath.read(acquire, "$.availableTags[*].tag");
		assertThat(tags).as("the observation's key values and the meter handler's error tag")
			.containsExactlyInAnyOrder("store", "outcome", "error");
		String held = get("/metrics/distributed.lock.held?tag=namespace:" + this.namespace);
		assertThat(measuredCount(held)).isEqualTo(1);
		String active = get("/metrics/distributed.lock.held.active?tag=namespace:" + this.namespace);
		assertThat(JsonPath.<List<Object>>read(active, "$.measurements[?(@.statistic == 'ACTIVE_TASKS')]")).hasSize(1);
		assertThat(status("/metrics/distributed.lock.acquisition")).isEqualTo(404);
		assertThat(status("/metrics/distributed.lock.hold")).isEqualTo(404);
		assertThat(status("/metrics/distributed.lock.active")).isEqualTo(404);
	}

	@Test
	void distributedLocksEndpointListsAHeldLockWithItsKeyMasked() {
		LockKey key = LockKey.of(this.namespace, "user/7");
		try (Lease lease = this.lockTemplate.acquire(key, NO_RENEWAL)) {
			String locks = get("/distributedlocks");
			assertThat(JsonPath.<String>read(locks, "$.store")).isEqualTo(expectedStore());
			List<String> keys = JsonPath.read(locks, "$.locks[?(@.namespace == '" + this.namespace + "')].key");
			assertThat(keys).as("show-values is never by default").containsExactly(this.namespace + ":******");
			List<Number> tokens = JsonPath.read(locks,
					"$.locks[?(@.namespace == '" + this.namespace + "')].fencingToken");
			assertThat(tokens).singleElement()
				.satisfies((token) -> assertThat(token.longValue()).isEqualTo(lease.fencingToken()));
			List<String> threads = JsonPath.read(locks,
					"$.locks[?(@.namespace == '" + this.namespace + "')].holderThread");
			assertThat(threads).containsExactly(Thread.currentThread().getName());
			List<String> expiresAt = JsonPath.read(locks,
					"$.locks[?(@.namespace == '" + this.namespace + "')].expiresAt");
			assertThat(expiresAt).singleElement().satisfies((instant) -> assertThat(instant).endsWith("Z"));
		}
		assertThat(JsonPath.<List<Object>>read(get("/distributedlocks"),
				"$.locks[?(@.namespace == '" + this.namespace + "')]"))
			.isEmpty();
	}

	@Test
	void distributedLocksEndpointForceReleasesAKeyGivenAsQueryParameter() throws Exception {
		LockKey key = LockKey.of(this.namespace, "a/b\\c", 42);
		assertThat(LockStores.acquire(this.lockRegistry, key, "stuck-owner", Duration.ofMinutes(5))).isPresent();
		String result = this.client.delete()
			.uri("/distributedlocks?key={key}", key.asString())
			.retrieve()
			.body(String.class);
		assertThat(JsonPath.<String>read(result, "$.key")).isEqualTo(key.asString());
		assertThat(JsonPath.<Boolean>read(result, "$.released")).isTrue();
		assertThat(LockStores.acquire(this.lockRegistry, key, "next-owner", Duration.ofMinutes(5))).isPresent();
		assertThat(this.client.delete()
			.uri("/distributedlocks?key={key}", "")
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()
			.value()).isEqualTo(400);
	}

	@Test
	void healthHasDistributedLockUpWithTheStoreKind() {
		String health = get("/health");
		assertThat(JsonPath.<String>read(health, "$.components.distributedLock.status")).isEqualTo("UP");
		assertThat(JsonPath.<String>read(health, "$.components.distributedLock.details.store"))
			.isEqualTo(expectedStore());
	}

	protected String get(String path) {
		return this.client.get().uri(path).retrieve().body(String.class);
	}

	private int status(String path) {
		return this.client.get().uri(path).retrieve().toBodilessEntity().getStatusCode().value();
	}

	private double count(String outcome) {
		String metric = get(
				"/metrics/distributed.lock.acquire?tag=namespace:" + this.namespace + "&tag=outcome:" + outcome);
		return measuredCount(metric);
	}

	private static double measuredCount(String metric) {
		List<Number> counts = JsonPath.read(metric, "$.measurements[?(@.statistic == 'COUNT')].value");
		assertThat(counts).hasSize(1);
		return counts.get(0).doubleValue();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ActuatorTestApplication {

	}

}
