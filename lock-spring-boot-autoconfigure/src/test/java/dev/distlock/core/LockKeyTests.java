package dev.distlock.core;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
	void collectionsAndArraysContributeOnePartPerElementInOrder() {
		assertThat(LockKey.of("ns", List.of(1, 2)).parts()).containsExactly("1", "2");
		assertThat(LockKey.of("ns", (Object) new int[] { 1, 2 })).isEqualTo(LockKey.of("ns", 1, 2));
		assertThat(LockKey.of("ns", "x", new String[] { "a:b", "c" }).asString()).isEqualTo("ns:x:a\\:b:c");
		Map<String, Integer> unordered = new LinkedHashMap<>();
		unordered.put("b", 2);
		unordered.put("a", 1);
		assertThat(LockKey.of("ns", (Object) unordered).asString()).isEqualTo("ns:a=1:b=2");
		assertThat(LockKey.of("ns", (Object) unordered)).isEqualTo(LockKey.of("ns", unordered));
	}

	@Test
	void differentPartListsNeverShareALock() {
		List<LockKey> distinct = List.of(LockKey.of("ns"), LockKey.of("ns", ""),
				LockKey.of("ns", (Object) new String[] { "a,b", "c" }),
				LockKey.of("ns", (Object) new String[] { "a", "b,c" }), LockKey.of("ns", List.of("x", "null")),
				LockKey.of("ns", Map.of("a", 1)), LockKey.of("ns", "{a=1}"), LockKey.of("ns", "a=1"),
				LockKey.of("ns", "[x, y]"), LockKey.of("ns", List.of("x", "y")));
		assertThat(distinct).doesNotHaveDuplicates();
		assertThat(distinct.stream().map(LockKey::asString)).doesNotHaveDuplicates();
		assertThat(distinct.stream().map(LockKey::id)).doesNotHaveDuplicates();
		assertThat(LockKey.of("ns", 1)).as("values with the same text are one part").isEqualTo(LockKey.of("ns", "1"));
	}

	@Test
	void emptyAndNullElementsAndNestedValuesAreRejected() {
		assertThatExceptionOfType(InvalidLockKeyException.class)
			.isThrownBy(() -> LockKey.of("ns", Arrays.asList("x", null)))
			.withMessageContaining("Part 0, element 1")
			.withMessageContaining("is null");
		assertThatExceptionOfType(InvalidLockKeyException.class).isThrownBy(() -> LockKey.of("ns", List.of()))
			.withMessageContaining("empty collection");
		assertThatExceptionOfType(InvalidLockKeyException.class)
			.isThrownBy(() -> LockKey.of("ns", (Object) new String[0]))
			.withMessageContaining("empty array");
		assertThatExceptionOfType(InvalidLockKeyException.class).isThrownBy(() -> LockKey.of("ns", Map.of()))
			.withMessageContaining("empty map");
		assertThatExceptionOfType(InvalidLockKeyException.class).isThrownBy(() -> LockKey.of("ns", List.of(List.of(1))))
			.withMessageContaining("nested");
		assertThatExceptionOfType(InvalidLockKeyException.class)
			.isThrownBy(() -> LockKey.of("ns", Map.of("a", List.of(1))))
			.withMessageContaining("nested");
		Map<Object, Object> sameName = new LinkedHashMap<>();
		sameName.put(1, "a");
		sameName.put("1", "b");
		assertThatExceptionOfType(InvalidLockKeyException.class).isThrownBy(() -> LockKey.of("ns", (Object) sameName))
			.withMessageContaining("two entries named '1'");
	}

	@Test
	void idIsTheNameBasedUuidOfTheNamespaceUuid() {
		// Vectors from Python: uuid5(uuid5(NAMESPACE_DNS, namespace), name)
		// where name is what follows the namespace in asString(): ":42" for one part.
		assertThat(LockKey.of("token_refresh", 42).id())
			.isEqualTo(UUID.fromString("3bd480fb-5740-5244-b5b1-a64d8bca211c"));
		assertThat(LockKey.of("data_processing", Map.of("table_name", "t", "database_id", 1)).id())
			.isEqualTo(UUID.fromString("9ae547a6-508b-59ca-8a48-093142054c93"));
		assertThat(LockKey.of("empty").id()).isEqualTo(UUID.fromString("815ccc21-8ffa-5f53-8ba3-2b14f7a17e79"));
		assertThat(LockKey.of("empty", "").id()).isEqualTo(UUID.fromString("aa3f6199-038d-5596-abb1-1277e5339d4d"));
		assertThat(LockKey.of("token_refresh", 42).id().version()).isEqualTo(5);
	}

	@Test
	void idsDoNotDependOnHowManyNamespacesOrThreadsComputeThem() {
		// More namespaces than the namespace ids remembered, computed once in order
		// and again from four threads at once: every id comes out the same.
		Map<String, UUID> first = new LinkedHashMap<>();
		for (int i = 0; i < 3000; i++) {
			first.put("generated_" + i, LockKey.of("generated_" + i, i).id());
		}
		Map<String, UUID> again = new ConcurrentHashMap<>();
		IntStream.range(0, 3000)
			.boxed()
			.collect(Collectors.toList())
			.parallelStream()
			.forEach((i) -> again.put("generated_" + i, LockKey.of("generated_" + i, i).id()));
		assertThat(again).isEqualTo(first);
		assertThat(new HashSet<>(first.values())).hasSize(3000);
		assertThat(LockKey.of("token_refresh", 42).id())
			.isEqualTo(UUID.fromString("3bd480fb-5740-5244-b5b1-a64d8bca211c"));
	}

	@Test
	void nullPartsAndEmptyNamespacesAreRejected() {
		assertThatExceptionOfType(InvalidLockKeyException.class).isThrownBy(() -> LockKey.of("ns", 1, null))
			.withMessageContaining("Part 1")
			.withMessageContaining("'ns'");
		Map<String, Object> withNull = new LinkedHashMap<>();
		withNull.put("user", null);
		assertThatExceptionOfType(InvalidLockKeyException.class).isThrownBy(() -> LockKey.of("ns", withNull))
			.withMessageContaining("'user'")
			.withMessageContaining("is null");
		assertThatExceptionOfType(InvalidLockKeyException.class).isThrownBy(() -> LockKey.of(""));
		assertThatExceptionOfType(InvalidLockKeyException.class).isThrownBy(() -> LockKey.parse("ns:bad\\"));
	}

}
