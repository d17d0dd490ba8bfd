package dev.distlock.sample;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import dev.distlock.sample.processing.ProcessingResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

/**
 * The {@code postgres} and {@code redis} profiles against real servers, when
 * {@code DISTLOCK_TEST_POSTGRES_URL} / {@code DISTLOCK_TEST_REDIS_URL} name them; skipped
 * otherwise, so that the default build needs no server.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class ServerProfilesTests {

	@Test
	@EnabledIfEnvironmentVariable(named = "DISTLOCK_TEST_POSTGRES_URL", matches = ".+")
	void postgresProfileKeepsLocksAndDataInPostgres() throws Exception {
		try (ConfigurableApplicationContext application = start("postgres",
				"--spring.datasource.url=" + System.getenv("DISTLOCK_TEST_POSTGRES_URL"),
				"--distributed-lock.jdbc.table-name=sample_app_lock")) {
			assertHealthy(application, "jdbc", "PostgreSQL");
			assertConcurrentProcessingIsRefused(application);
		}
	}

	@Test
	@EnabledIfEnvironmentVariable(named = "DISTLOCK_TEST_REDIS_URL", matches = ".+")
	void redisProfileKeepsLocksInRedis() throws Exception {
		try (ConfigurableApplicationContext application = start("redis",
				"--spring.data.redis.url=" + System.getenv("DISTLOCK_TEST_REDIS_URL"),
				"--distributed-lock.redis.key-prefix=sample-app-test:")) {
			assertHealthy(application, "redis", "H2");
			assertConcurrentProcessingIsRefused(application);
		}
	}

	private static ConfigurableApplicationContext start(String profile, String... args) {
		String[] arguments = new String[args.length + 2];
		arguments[0] = "--server.port=0";
		arguments[1] = "--sample.processing.duration=3s";
		System.arraycopy(args, 0, arguments, 2, args.length);
		return new SpringApplicationBuilder(SampleApplication.class).profiles(profile).run(arguments);
	}

	private static void assertHealthy(ConfigurableApplicationContext application, String store, String database) {
		ResponseEntity<Map<String, Object>> health = SampleHttp
			.exchange(client(application).get().uri("/actuator/health"));
		assertThat(health.getBody()).containsEntry("status", "UP")
			.extractingByKey("components")
			.asInstanceOf(MAP)
			.containsEntry("distributedLock", Map.of("status", "UP", "details", Map.of("store", store)))
			.extractingByKey("db")
			.asInstanceOf(MAP)
			.extractingByKey("details")
			.asInstanceOf(MAP)
			.containsEntry("database", database);
	}

	private static void assertConcurrentProcessingIsRefused(ConfigurableApplicationContext application)
			throws Exception {
		RestClient client = client(application);
		String table = "t_" + UUID.randomUUID().toString().replace("-", "");
		CompletableFuture<ProcessingResult> running = SampleHttp.async(() -> client.post()
			.uri("/databases/31/tables/{table}/process", table)
			.retrieve()
			.body(ProcessingResult.class));
		SampleHttp.awaitHeld(application.getBean(LockTemplate.class), LockKey.of("data_processing", 31, table));
		assertThat(
				SampleHttp.exchange(client.post().uri("/databases/31/tables/{table}/process", table)).getStatusCode())
			.isEqualTo(HttpStatus.CONFLICT);
		assertThat(running.get(30, TimeUnit.SECONDS).lock()).isEqualTo("data_processing:31:" + table);
	}

	private static RestClient client(ConfigurableApplicationContext application) {
		return SampleHttp.client(((WebServerApplicationContext) application).getWebServer().getPort());
	}

}
