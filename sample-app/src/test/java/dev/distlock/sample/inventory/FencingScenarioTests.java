package dev.distlock.sample.inventory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import dev.distlock.sample.SampleApplicationTest;
import dev.distlock.sample.SampleHttp;
import dev.distlock.sample.web.LockExceptionHandler;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A write guarded by the fencing token: a holder paused past its lease (300 ms here,
 * renewal off) writes after a newer holder did, and the store refuses it.
 *
 * @author Distributed Lock team
 */
@SampleApplicationTest
class FencingScenarioTests {

	@LocalServerPort
	private int port;

	@Autowired
	private LockTemplate lockTemplate;

	@Test
	void staleHolderWriteIsRejectedAfterANewerHolderWrote() throws Exception {
		RestClient client = SampleHttp.client(this.port);
		CompletableFuture<ResponseEntity<Map<String, Object>>> stale = SampleHttp
			.async(() -> SampleHttp.exchange(client.put().uri("/inventory/sku-301?quantity=5&pause=3s")));
		SampleHttp.awaitHeld(this.lockTemplate, LockKey.of("inventory", "sku-301"));

		InventoryItem newer = await().atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(50))
			.alias("a second holder takes the lock once the paused holder's lease expired")
			.until(() -> write(client, "sku-301", 7), (item) -> item != null);

		ResponseEntity<Map<String, Object>> refused = stale.get(10, TimeUnit.SECONDS);
		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(refused.getBody()).containsEntry("type", LockExceptionHandler.STALE_FENCING_TOKEN.toString())
			.hasEntrySatisfying("acceptedFencingToken",
					(token) -> assertThat(((Number) token).longValue()).isEqualTo(newer.fencingToken()))
			.hasEntrySatisfying("fencingToken",
					(token) -> assertThat(((Number) token).longValue()).isLessThan(newer.fencingToken()));
		InventoryItem stored = client.get().uri("/inventory/sku-301").retrieve().body(InventoryItem.class);
		assertThat(stored).isEqualTo(newer);
		assertThat(stored.quantity()).isEqualTo(7);
	}

	@Test
	void eachNewHolderWritesWithAGreaterToken() {
		RestClient client = SampleHttp.client(this.port);
		InventoryItem first = write(client, "sku-302", 1);
		InventoryItem second = write(client, "sku-302", 2);
		assertThat(first).isNotNull();
		assertThat(second).isNotNull();
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
	}

	private static @Nullable InventoryItem write(RestClient client, String sku, int quantity) {
		return client.put()
			.uri("/inventory/{sku}?quantity={quantity}", sku, quantity)
			.exchange((request, response) -> (response.getStatusCode() == HttpStatus.CONFLICT) ? null
					: response.bodyTo(InventoryItem.class));
	}

}
