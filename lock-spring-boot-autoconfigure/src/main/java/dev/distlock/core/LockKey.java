package dev.distlock.core;

import java.io.Serial;
import java.io.Serializable;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The identity of a lock: a namespace (the lock family, such as {@code token_refresh})
 * and ordered parts (such as a user id).
 * <p>
 * {@link #asString()} is the readable form, {@code namespace:part1:part2}, in which the
 * separators {@code :}, {@code =} and {@code \} inside a namespace or part are escaped
 * with {@code \}, so two different keys never share a string. The map form
 * {@link #of(String, Map)} sorts entries by name, so argument order never changes the
 * key. {@link #id()} is a deterministic name-based UUID for stores that want a
 * fixed-width key.
 * <p>
 * Parts are rendered to text when the key is created, by {@code String.valueOf}, so two
 * values with the same text are the same part ({@code 1} and {@code "1"}). A value that
 * is an array or a collection contributes one part per element, in order; a map
 * contributes one {@code name=value} part per entry, sorted by name. A {@code null} part
 * or element, an empty array, collection or map, and a collection or map nested inside
 * another are rejected: each would make different calls share a lock, or lock a whole
 * namespace by accident. Different part lists never share a lock: {@code ns} with no
 * parts, {@code ns} with one empty part, {@code ["a,b", "c"]} and {@code ["a", "b,c"]}
 * are four keys.
 *
 * @author Distributed Lock team
 */
public final class LockKey implements Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

	private static final UUID NAMESPACE_DNS = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

	private static final int NAMESPACE_IDS_MAX = 1024;

	private static final Map<String, UUID> NAMESPACE_IDS = new ConcurrentHashMap<>();

	private static final MessageDigest SHA1 = newSha1();

	private final String namespace;

	@SuppressWarnings("serial") // always an immutable List.copyOf, which is serializable
	private final List<String> parts;

	private final String asString;

	private transient @Nullable UUID id;

	private LockKey(String namespace, List<String> escapedParts) {
		if (namespace.isEmpty()) {
			throw new InvalidLockKeyException("A lock namespace must not be empty", null);
		}
		this.namespace = namespace;
		this.parts = List.copyOf(escapedParts);
		StringBuilder builder = new StringBuilder(escape(namespace));
		for (String part : this.parts) {
			builder.append(':').append(part);
		}
		this.asString = builder.toString();
	}

	/**
	 * Create a key from a namespace and positional parts.
	 * @param namespace the lock family, not empty
	 * @param parts the key parts, none {@code null}
	 * @return the key
	 * @throws InvalidLockKeyException if the namespace is empty or a part is {@code null}
	 */
	public static LockKey of(String namespace, @Nullable Object... parts) {
		Objects.requireNonNull(namespace, "namespace must not be null");
		List<String> escaped = new ArrayList<>(parts.length);
		for (int i = 0; i < parts.length; i++) {
			addPart(escaped, namespace, "Part " + i, parts[i]);
		}
		return new LockKey(namespace, escaped);
	}

	/**
	 * Create a key from a namespace and named parts, like keyword arguments. Entries are
	 * sorted by name, so the map's iteration order does not matter; each becomes the part
	 * {@code name=value}.
	 * @param namespace the lock family, not empty
	 * @param parts the named key parts, no value {@code null}
	 * @return the key
	 * @throws InvalidLockKeyException if the namespace is empty or a value is
	 * {@code null}
	 */
	public static LockKey of(String namespace, Map<String, ?> parts) {
		Objects.requireNonNull(namespace, "namespace must not be null");
		List<String> escaped = new ArrayList<>(parts.size());
		addMap(escaped, namespace, "The parts", parts);
		return new LockKey(namespace, escaped);
	}

	/**
	 * Parse the readable form produced by {@link #asString()}.
	 * @param value the readable form, such as {@code token_refresh:42}
	 * @return the key
	 * @throws InvalidLockKeyException if the value is empty or ends in a lone escape
	 */
	public static LockKey parse(String value) {
		List<String> segments = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\\') {
				if (i + 1 == value.length()) {
					throw new InvalidLockKeyException("Lock key '" + value + "' ends with a lone '\\'", null);
				}
				current.append(c).append(value.charAt(++i));
			}
			else if (c == ':') {
				segments.add(current.toString());
				current.setLength(0);
			}
			else {
				current.append(c);
			}
		}
		segments.add(current.toString());
		return new LockKey(unescape(segments.get(0)), segments.subList(1, segments.size()));
	}

	/**
	 * Return the lock family.
	 * @return the namespace
	 */
	public String namespace() {
		return this.namespace;
	}

	/**
	 * Return the key parts as they appear in {@link #asString()} (escaped; named parts as
	 * {@code name=value}).
	 * @return the parts, never {@code null}
	 */
	public List<String> parts() {
		return this.parts;
	}

	/**
	 * Return the readable, unambiguous form {@code namespace:part1:part2}.
	 * @return the readable form
	 */
	public String asString() {
		return this.asString;
	}

	/**
	 * Return a deterministic name-based UUID (version 5) for this key: the name is what
	 * follows the namespace in {@link #asString()} (each part preceded by {@code :}, so
	 * no parts and one empty part differ), and the UUID namespace is the version 5 UUID
	 * of the lock namespace in the DNS namespace, like Superset's
	 * {@code uuid5(uuid5(NAMESPACE_DNS, namespace), params)}.
	 * @return the key's UUID
	 */
	public UUID id() {
		UUID id = this.id;
		if (id == null) {
			String name = this.asString.substring(escape(this.namespace).length());
			id = nameBasedUuid(namespaceId(this.namespace), name);
			this.id = id;
		}
		return id;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof LockKey that && this.asString.equals(that.asString));
	}

	@Override
	public int hashCode() {
		return this.asString.hashCode();
	}

	@Override
	public String toString() {
		return this.asString;
	}

	private static void addPart(List<String> escaped, String namespace, String where, @Nullable Object value) {
		if (value == null) {
			throw invalid(where, namespace, "is null");
		}
		if (value instanceof Map<?, ?> map) {
			addMap(escaped, namespace, where, map);
		}
		else if (value instanceof Collection<?> collection) {
			if (collection.isEmpty()) {
				throw invalid(where, namespace, "is an empty collection");
			}
			int index = 0;
			for (Object element : collection) {
				escaped.add(escape(element(namespace, where + ", element " + index++, element)));
			}
		}
		else if (value.getClass().isArray()) {
			int length = Array.getLength(value);
			if (length == 0) {
				throw invalid(where, namespace, "is an empty array");
			}
			for (int i = 0; i < length; i++) {
				escaped.add(escape(element(namespace, where + ", element " + i, Array.get(value, i))));
			}
		}
		else {
			escaped.add(escape(value.toString()));
		}
	}

	private static void addMap(List<String> escaped, String namespace, String where, Map<?, ?> map) {
		if (map.isEmpty()) {
			throw invalid(where, namespace, "is an empty map");
		}
		TreeMap<String, String> sorted = new TreeMap<>();
		map.forEach((name, value) -> {
			if (name == null) {
				throw invalid(where, namespace, "has an entry without a name");
			}
			String entry = where + ", entry '" + name + "',";
			if (sorted.put(name.toString(), element(namespace, entry, value)) != null) {
				throw invalid(where, namespace, "has two entries named '" + name + "'");
			}
		});
		sorted.forEach((name, value) -> escaped.add(escape(name) + "=" + escape(value)));
	}

	private static String element(String namespace, String where, @Nullable Object value) {
		if (value == null) {
			throw invalid(where, namespace, "is null");
		}
		if (value instanceof Map || value instanceof Collection || value.getClass().isArray()) {
			throw invalid(where, namespace, "is itself a " + ((value instanceof Map) ? "map" : "collection")
					+ "; nested values are not lock key parts, flatten them in the key expression");
		}
		return value.toString();
	}

	private static InvalidLockKeyException invalid(String where, String namespace, String problem) {
		return new InvalidLockKeyException(where + " of lock key in namespace '" + namespace + "' " + problem, null);
	}

	private static String escape(String value) {
		StringBuilder builder = null;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\\' || c == ':' || c == '=') {
				if (builder == null) {
					builder = new StringBuilder(value.length() + 8).append(value, 0, i);
				}
				builder.append('\\');
			}
			if (builder != null) {
				builder.append(c);
			}
		}
		return (builder != null) ? builder.toString() : value;
	}

	private static String unescape(String value) {
		StringBuilder builder = new StringBuilder(value.length());
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			builder.append((c == '\\' && i + 1 < value.length()) ? value.charAt(++i) : c);
		}
		return builder.toString();
	}

	/*
	 * The UUID of a lock namespace, remembered: an application has a handful of
	 * namespaces and computes ids for every lock call. Beyond NAMESPACE_IDS_MAX
	 * namespaces (generated names, say), further ones are computed each time.
	 */
	private static UUID namespaceId(String namespace) {
		UUID id = NAMESPACE_IDS.get(namespace);
		if (id == null) {
			id = nameBasedUuid(NAMESPACE_DNS, namespace);
			if (NAMESPACE_IDS.size() < NAMESPACE_IDS_MAX) {
				NAMESPACE_IDS.putIfAbsent(namespace, id);
			}
		}
		return id;
	}

	/*
	 * A fresh SHA-1 digest: a copy of a prototype, which profiling showed to cost a
	 * fraction of MessageDigest.getInstance's provider lookup on every call.
	 */
	private static MessageDigest sha1() {
		try {
			return (MessageDigest) SHA1.clone();
		}
		catch (CloneNotSupportedException ex) {
			return newSha1();
		}
	}

	private static MessageDigest newSha1() {
		try {
			return MessageDigest.getInstance("SHA-1");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required by every Java platform", ex);
		}
	}

	private static UUID nameBasedUuid(UUID namespace, String name) {
		MessageDigest sha1 = sha1();
		ByteBuffer namespaceBytes = ByteBuffer.allocate(16);
		namespaceBytes.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
		sha1.update(namespaceBytes.array());
		byte[] hash = Arrays.copyOf(sha1.digest(name.getBytes(StandardCharsets.UTF_8)), 16);
		hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
		hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
		ByteBuffer buffer = ByteBuffer.wrap(hash);
		return new UUID(buffer.getLong(), buffer.getLong());
	}

}
