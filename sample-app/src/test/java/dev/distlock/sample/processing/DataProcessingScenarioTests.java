package dev.distlock.sample.processing;

import java.util.Map;
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
 * Data processing keyed by two parameters: the database id and the table name make one
 * key, so only the same pair blocks.
 *
 * @author Distributed Lock team
 */
@SampleApplicationTest
class DataProcessingScenarioTests {

	@LocalServerPort
	private int port;

	@Autowired
	private LockTemplate lockTemplate;

	@Test
	void databaseIdAndTableNameMakeOneKeyAndOtherPairsRunInParallel() throws Exception {
		RestClient client = SampleHttp.client(this.port);
		LockKey orders = LockKey.of("data_processing", 7, "orders");
		CompletableFuture<ProcessingResult> first = process(client, 7, "orders");
		SampleHttp.awaitHeld(this.lockTemplate, orders);

		ResponseEntity<Map<String, Object>> conflict = SampleHttp
			.exchange(client.post().uri("/databases/7/tables/orders/process"));
		assertThat(conflict.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(conflict.getBody()).containsEntry("namespace", "data_processing").doesNotContainKey("key");

		CompletableFuture<ProcessingResult> otherTable = process(client, 7, "customers");
		CompletableFuture<ProcessingResult> otherDatabase = process(client, 8, "orders");
		SampleHttp.awaitHeld(this.lockTemplate, orders, LockKey.of("data_processing", 7, "customers"),
				LockKey.of("data_processing", 8, "orders"));

		assertThat(first.get(10, TimeUnit.SECONDS).lock()).isEqualTo("data_processing:7:orders");
		assertThat(otherTable.get(10, TimeUnit.SECONDS).lock()).isEqualTo("data_processing:7:customers");
		assertThat(otherDatabase.get(10, TimeUnit.SECONDS).lock()).isEqualTo("data_processing:8:orders");
	}

	@Test
	void separatorsInsideAParameterCannotForgeAnotherKey() throws Exception {
		RestClient client = SampleHttp.client(this.port);
		ProcessingResult result = client.post()
			.uri("/databases/9/tables/{table}/process", "a:b")
			.retrieve()
			.body(ProcessingResult.class);
		assertThat(result).isNotNull();
		assertThat(result.lock()).isEqualTo("data_processing:9:a\\:b")
			.isEqualTo(LockKey.of("data_processing", 9, "a:b").asString())
			.isNotEqualTo(LockKey.of("data_processing", 9, "a", "b").asString());
	}

	private static CompletableFuture<ProcessingResult> process(RestClient client, long databaseId, String table) {
		return SampleHttp.async(() -> client.post()
			.uri("/databases/{databaseId}/tables/{table}/process", databaseId, table)
			.retrieve()
			.body(ProcessingResult.class));
	}

}
