package dev.distlock.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LockKey}.
 *
 * @author Distributed Lock team
 */
class LockKeyTests {

	@Test
	void readableFormJoinsNamespaceAndParts() {
		assertThat(LockKey.of("token_refresh", 42).asString()).isEqualTo("token_refresh:42");
		assertThat(LockKey.of("report", "q1", 2026L, true).asString()).isEqualTo("report:q1:2026:true");
		assertThat(LockKey.of("whole").asString()).isEqualTo("whole");
	}

	@Test
	void mapPartsAreSortedByNameSoArgumentOrderDoesNotMatter() {
		Map<String, Object> forward = new LinkedHashMap<>();
		forward.put("database_id", 1);
		forward.put("table_name", "t");
		Map<String, Object> backward = new LinkedHashMap<>();
		backward.put("table_name", "t");
		backward.put("database_id", 1);
		assertThat(LockKey.of("data_processing", forward)).isEqualTo(LockKey.of("data_processing", backward));
		assertThat(LockKey.of("data_processing", backward).asString())
			.isEqualTo("data_processing:database_id=1:table_name=t");
	}

	@Test
	void separatorsInsidePartsAreEscapedSoKeysNeverCollide() {
		LockKey twoParts = LockKey.of("ns", "a", "b");
		LockKey onePartWithColon = LockKey.of("ns", "a:b");
		assertThat(twoParts).isNotEqualTo(onePartWithColon);
		assertThat(onePartWithColon.asString()).isEqualTo("ns:a\\:b");
		assertThat(LockKey.of("ns", "x=1")).isNotEqualTo(LockKey.of("ns", Map.of("x", 1)));
		assertThat(LockKey.of("ns", "back\\slash").asString()).isEqualTo("ns:back\\\\slash");
		assertThat(LockKey.of("name:space", 1).asString()).isEqualTo("name\\:space:1");
	}

	@Test
	void parseReadsTheReadableFormBack() {
		List<LockKey> keys = List.of(LockKey.of("token_refresh", 42), LockKey.of("ns", "a:b", "c\\d", "e=f"),
				LockKey.of("data_processing", Map.of("database_id", 1, "table_name", "t")), LockKey.of("name:space"),
				LockKey.of("ns", ""));
		for (LockKey key : keys) {
			LockKey parsed = LockKey.parse(key.asString());
			assertThat(parsed).isEqualTo(key);
			assertThat(parsed.namespace()).isEqualTo(key.namespace());
			assertThat(parsed.id()).isEqualTo(key.id());
		}
	}

	@Test
	void collectionsArraysAndMapsAreRenderedDeterministically() {
		assertThat(LockKey.of("ns", List.of(1, 2)).asString()).isEqualTo("ns:[1,2]");
		assertThat(LockKey.of("ns", (Object) new int[] { 1, 2 }).asString()).isEqualTo("ns:[1,2]");
		Map<String, Integer> unordered = new LinkedHashMap<>();
		unordered.put("b", 2);
		unordered.put("a", 1);
		assertThat(LockKey.of("ns", (Object) unordered).asString()).isEqualTo("ns:{a\\=1,b\\=2}");
	}

	@Test
	void idIsTheNameBasedUuidOfTheNamespaceUuid() {
		// Vectors from Python: uuid5(uuid5(NAMESPACE_DNS, namespace), name)
		assertThat(LockKey.of("token_refresh", 42).id())
			.isEqualTo(UUID.fromString("cd16ae10-f1d5-53e0-9644-0ee7c3c496e0"));
		assertThat(LockKey.of("data_processing", Map.of("table_name", "t", "database_id", 1)).id())
			.isEqualTo(UUID.fromString("59eef1a5-4586-5f61-bdc7-bf72da69877c"));
		assertThat(LockKey.of("empty").id()).isEqualTo(UUID.fromString("815ccc21-8ffa-5f53-8ba3-2b14f7a17e79"));
		assertThat(LockKey.of("token_refresh", 42).id().version()).isEqualTo(5);
	}

	@Test
	void nullPartsAndEmptyNamespacesAreRejected() {
		assertThatExceptionOfType(InvalidLockKeyException.class).isThrownBy(() -> LockKey.of("ns", 1, null))
			.withMessageContaining("Part 1")
			.withMessageContaining("'ns'");
		Map<String, Object> withNull = new LinkedHashMap<>();
		withNull.put("user", null);
		assertThatExceptionOfType(InvalidLockKeyException.class).isThrownBy(() -> LockKey.of("ns", withNull))
			.withMessageContaining("'user'");
		assertThatExceptionOfType(InvalidLockKeyException.class).isThrownBy(() -> LockKey.of(""));
		assertThatExceptionOfType(InvalidLockKeyException.class).isThrownBy(() -> LockKey.parse("ns:bad\\"));
	}

}
