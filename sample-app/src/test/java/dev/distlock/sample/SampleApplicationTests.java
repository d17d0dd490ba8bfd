package dev.distlock.sample;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import dev.distlock.jdbc.JdbcLockStore;
import dev.distlock.sample.processing.ProcessingResult;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

/**
 * The application starts with no server installed, keeps its locks in the embedded H2
 * database, and shows them through the actuator: health, held locks and meters.
 *
 * @author Distributed Lock team
 */
@SampleApplicationTest
class SampleApplicationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private LockTemplate lockTemplate;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void startsWithoutServersAndHealthIsUp() {
		ResponseEntity<Map<String, Object>> health = SampleHttp.exchange(client().get().uri("/actuator/health"));
		assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(health.getBody()).containsEntry("status", "UP");
		assertThat(health.getBody()).extractingByKey("components")
			.asInstanceOf(MAP)
			.containsKey("db")
			.extractingByKey("distributedLock")
			.isEqualTo(Map.of("status", "UP", "details", Map.of("store", "jdbc")));
	}

	@Test
	void locksLiveInTheEmbeddedDatabase() throws Exception {
		assertThat(this.lockTemplate.getStore()).isInstanceOf(JdbcLockStore.class);
		CompletableFuture<ProcessingResult> running = process(11, "events");
		SampleHttp.awaitHeld(this.lockTemplate, LockKey.of("data_processing", 11, "events"));
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM distributed_lock WHERE lock_id = ?")
			.param(LockKey.of("data_processing", 11, "events").id())
			.query(Long.class)
			.single()).isEqualTo(1);
		running.get(10, TimeUnit.SECONDS);
	}

	@Test
	void distributedLocksEndpointListsHeldLocksAndMetersCountOutcomes() throws Exception {
		LockKey key = LockKey.of("data_processing", 12, "audit");
		CompletableFuture<ProcessingResult> running = process(12, "audit");
		SampleHttp.awaitHeld(this.lockTemplate, key);
		ResponseEntity<Map<String, Object>> locks = SampleHttp
			.exchange(client().get().uri("/actuator/distributedlocks"));
		assertThat(locks.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(locks.getBody()).containsEntry("store", "jdbc")
			.extractingByKey("locks")
			.asInstanceOf(LIST)
			.anySatisfy((lock) -> assertThat(lock).asInstanceOf(MAP)
				.containsEntry("namespace", "data_processing")
				.containsEntry("key", "data_processing:******")
				.containsKeys("fencingToken", "acquiredAt", "expiresAt", "holderThread"));
		assertThat(SampleHttp.exchange(client().post().uri("/databases/12/tables/audit/process")).getStatusCode())
			.isEqualTo(HttpStatus.CONFLICT);
		running.get(10, TimeUnit.SECONDS);

		assertThat(acquireCount("data_processing", "acquired")).isGreaterThanOrEqualTo(1);
		assertThat(acquireCount("data_processing", "not_acquired")).isGreaterThanOrEqualTo(1);
	}

	@Test
	void stuckLockIsForceReleasedThroughTheEndpoint() throws Exception {
		LockKey key = LockKey.of("data_processing", 13, "stuck");
		CompletableFuture<ProcessingResult> running = process(13, "stuck");
		SampleHttp.awaitHeld(this.lockTemplate, key);
		ResponseEntity<Map<String, Object>> released = SampleHttp
			.exchange(client().delete().uri("/actuator/distributedlocks?key={key}", key.asString()));
		assertThat(released.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(released.getBody()).containsEntry("released", true);
		ProcessingResult next = client().post()
			.uri("/databases/13/tables/stuck/process")
			.retrieve()
			.body(ProcessingResult.class);
		assertThat(next).as("the lock is free in the store while its first holder still runs").isNotNull();
		assertThat(next.fencingToken()).isGreaterThan(running.get(10, TimeUnit.SECONDS).fencingToken());
	}

	private CompletableFuture<ProcessingResult> process(long databaseId, String table) {
		return SampleHttp.async(() -> client().post()
			.uri("/databases/{databaseId}/tables/{table}/process", databaseId, table)
			.retrieve()
			.body(ProcessingResult.class));
	}

	private double acquireCount(String namespace, String outcome) {
		Map<String, Object> meter = client().get()
			.uri("/actuator/metrics/distributed.lock.acquire?tag=namespace:{namespace}&tag=outcome:{outcome}",
					namespace, outcome)
			.retrieve()
			.body(SampleHttp.JSON_OBJECT);
		assertThat(meter).isNotNull();
		List<?> measurements = (List<?>) meter.get("measurements");
		return measurements.stream()
			.map(Map.class::cast)
			.filter((measurement) -> "COUNT".equals(measurement.get("statistic")))
			.mapToDouble((measurement) -> ((Number) measurement.get("value")).doubleValue())
			.findFirst()
			.orElseThrow();
	}

	private RestClient client() {
		return SampleHttp.client(this.port);
	}

}
