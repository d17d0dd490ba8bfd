package dev.distlock.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the generated configuration metadata documents every property, so that IDE
 * completion explains each one.
 *
 * @author Distributed Lock team
 */
class ConfigurationMetadataTests {

	private List<Map<String, Object>> properties() throws IOException {
		try (InputStream metadata = new ClassPathResource("META-INF/spring-configuration-metadata.json")
			.getInputStream()) {
			return JsonPath.read(new String(metadata.readAllBytes(), StandardCharsets.UTF_8), "$.properties");
		}
	}

	@Test
	void everyPropertyHasADescription() throws IOException {
		List<Map<String, Object>> properties = properties();
		assertThat(properties).isNotEmpty();
		assertThat(properties).allSatisfy(
				(property) -> assertThat(property.get("description")).as("description of %s", property.get("name"))
					.asString()
					.isNotBlank());
	}

	@Test
	void everyPropertyOfTheDesignIsDocumented() throws IOException {
		List<Object> names = properties().stream().map((property) -> property.get("name")).toList();
		assertThat(names).contains("distributed-lock.enabled", "distributed-lock.store", "distributed-lock.wait-time",
				"distributed-lock.lease-time", "distributed-lock.auto-renew", "distributed-lock.on-failure",
				"distributed-lock.on-lease-lost", "distributed-lock.reentrant", "distributed-lock.aop.order",
				"distributed-lock.namespaces", "distributed-lock.redis.key-prefix", "distributed-lock.jdbc.table-name",
				"distributed-lock.jdbc.initialize-schema", "distributed-lock.metrics.enabled");
	}

	@Test
	void durationsAreDurations() throws IOException {
		assertThat(properties()).filteredOn((property) -> property.get("name").toString().endsWith("-time"))
			.isNotEmpty()
			.allSatisfy((property) -> assertThat(property.get("type")).isEqualTo("java.time.Duration"));
	}

}
