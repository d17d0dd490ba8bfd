package dev.distlock.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.distlock.autoconfigure.endpoint.DistributedLocksEndpointProperties;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the generated configuration metadata documents every property of the
 * properties classes, found by reflection as the binder finds them, so that IDE
 * completion explains each one and a new property without a description fails here.
 *
 * @author Distributed Lock team
 */
class ConfigurationMetadataTests {

	private static final List<Class<?>> PROPERTIES_CLASSES = List.of(DistributedLockProperties.class,
			DistributedLocksEndpointProperties.class);

	@Test
	void everyPropertyOfThePropertiesClassesIsInTheMetadataWithADescription() throws IOException {
		Map<String, Map<String, Object>> metadata = metadata();
		Map<String, Class<?>> properties = properties();
		assertThat(properties).containsKeys("distributed-lock.observations.enabled", "distributed-lock.namespaces",
				"distributed-lock.redis.poll-interval", "management.endpoint.distributedlocks.show-values");
		assertThat(properties).allSatisfy((name, type) -> {
			assertThat(metadata).as("metadata of %s", name).containsKey(name);
			assertThat(metadata.get(name).get("description")).as("description of %s", name).asString().isNotBlank();
		});
	}

	@Test
	void theMetadataHasNoPropertyThatThePropertiesClassesLack() throws IOException {
		Map<String, Class<?>> properties = properties();
		List<String> fromPropertiesClasses = metadata().values()
			.stream()
			.filter((property) -> PROPERTIES_CLASSES.stream()
				.anyMatch((type) -> String.valueOf(property.get("sourceType")).startsWith(type.getName())))
			.map((property) -> (String) property.get("name"))
			.toList();
		assertThat(fromPropertiesClasses).containsExactlyInAnyOrderElementsOf(properties.keySet());
	}

	@Test
	void everyPropertyInTheMetadataHasADescription() throws IOException {
		assertThat(metadata()).isNotEmpty()
			.allSatisfy((name, property) -> assertThat(property.get("description")).as("description of %s", name)
				.asString()
				.isNotBlank());
	}

	@Test
	void durationsAreDurations() throws IOException {
		Map<String, Map<String, Object>> metadata = metadata();
		Map<String, Class<?>> durations = new LinkedHashMap<>(properties());
		durations.values().removeIf((type) -> type != Duration.class);
		assertThat(durations).containsKeys("distributed-lock.wait-time", "distributed-lock.shutdown.timeout");
		assertThat(durations.keySet())
			.allSatisfy((name) -> assertThat(metadata.get(name).get("type")).as(name).isEqualTo("java.time.Duration"));
	}

	/**
	 * Return the properties the binder finds in the properties classes: the JavaBean
	 * properties, with nested properties classes walked into, as their names in the
	 * metadata.
	 */
	private static Map<String, Class<?>> properties() {
		Map<String, Class<?>> properties = new LinkedHashMap<>();
		for (Class<?> type : PROPERTIES_CLASSES) {
			// prefix is an alias of value: merged annotations resolve either.
			String prefix = MergedAnnotations.from(type).get(ConfigurationProperties.class).getString("prefix");
			collect(prefix, type, properties);
		}
		return properties;
	}

	private static void collect(String prefix, Class<?> type, Map<String, Class<?>> properties) {
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
				continue;
			}
			String name = prefix + "." + DataObjectPropertyName.toDashedForm(descriptor.getName());
			Class<?> propertyType = descriptor.getPropertyType();
			if (isNested(propertyType)) {
				collect(name, propertyType, properties);
			}
			else if (descriptor.getWriteMethod() != null || Collection.class.isAssignableFrom(propertyType)
					|| Map.class.isAssignableFrom(propertyType)) {
				properties.put(name, propertyType);
			}
		}
	}

	private static boolean isNested(Class<?> type) {
		Class<?> enclosing = type.getEnclosingClass();
		return !type.isEnum() && enclosing != null && PROPERTIES_CLASSES.contains(enclosing);
	}

	private static Map<String, Map<String, Object>> metadata() throws IOException {
		try (InputStream metadata = new ClassPathResource("META-INF/spring-configuration-metadata.json")
			.getInputStream()) {
			List<Map<String, Object>> properties = JsonPath
				.read(new String(metadata.readAllBytes(), StandardCharsets.UTF_8), "$.properties");
			Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
			properties.forEach((property) -> byName.put((String) property.get("name"), property));
			return byName;
		}
	}

}
