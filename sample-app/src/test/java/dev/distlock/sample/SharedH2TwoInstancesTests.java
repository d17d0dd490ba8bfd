package dev.distlock.sample;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import dev.distlock.jdbc.JdbcLockStore;
import dev.distlock.sample.processing.ProcessingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances started with the {@code shared-h2} profile, as the README shows, share
 * their locks through one H2 database file: work locked on one is refused on the other.
 *
 * @author Distributed Lock team
 */
class SharedH2TwoInstancesTests {

	@TempDir
	static Path directory;

	@Test
	void lockTakenOnOneInstanceRefusesTheSameWorkOnTheOther() throws Exception {
		String url = "jdbc:h2:file:" + directory.resolve("h2") + ";AUTO_SERVER=TRUE";
		try (ConfigurableApplicationContext first = start(url); ConfigurableApplicationContext second = start(url)) {
			assertThat(first.getBean(LockTemplate.class).getStore()).isInstanceOf(JdbcLockStore.class);
			RestClient firstClient = SampleHttp.client(port(first));
			RestClient secondClient = SampleHttp.client(port(second));
			CompletableFuture<ProcessingResult> running = SampleHttp.async(() -> firstClient.post()
				.uri("/databases/5/tables/orders/process")
				.retrieve()
				.body(ProcessingResult.class));
			SampleHttp.awaitHeld(first.getBean(LockTemplate.class), LockKey.of("data_processing", 5, "orders"));

			ResponseEntity<Map<String, Object>> conflict = SampleHttp
				.exchange(secondClient.post().uri("/databases/5/tables/orders/process"));
			assertThat(conflict.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
			assertThat(conflict.getBody()).containsEntry("namespace", "data_processing").doesNotContainKey("key");

			ProcessingResult onFirst = running.get(30, TimeUnit.SECONDS);
			ProcessingResult onSecond = secondClient.post()
				.uri("/databases/5/tables/orders/process")
				.retrieve()
				.body(ProcessingResult.class);
			assertThat(onSecond).isNotNull();
			assertThat(onSecond.fencingToken()).as("one token sequence for both instances")
				.isGreaterThan(onFirst.fencingToken());
		}
	}

	private static ConfigurableApplicationContext start(String url) {
		// Command line arguments, as in the README, override application.yml's port.
		return new SpringApplicationBuilder(SampleApplication.class).profiles("shared-h2")
			.run("--server.port=0", "--spring.datasource.url=" + url, "--sample.processing.duration=3s");
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
