package dev.distlock.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.distlock.core.LockKey;
import org.jspecify.annotations.Nullable;

/**
 * One lock statement, read from its resource file: the table name is substituted once,
 * and the named parameters ({@code :id}, {@code :namespace}, {@code :key},
 * {@code :owner}, {@code :nextOwner}, {@code :leaseMicros}, {@code :waitKey},
 * {@code :waitKeyHigh}, {@code :waitKeyLow}, {@code :listenerPid}; for housekeeping
 * {@code :after}, {@code :retentionMicros}, {@code :limit} and the list {@code :ids})
 * become JDBC positional parameters. A list becomes as many parameters as it has values,
 * so a statement with one is completed by {@link #sql(int)} for each length.
 *
 * @author Distributed Lock team
 */
final class LockStatement {

	private static final Pattern NAMED_PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z]+)");

	private static final String LIST_MARKER = "{list}";

	private final String name;

	private final String sql;

	private final List<Parameter> parameters;

	private LockStatement(String name, String sql, List<Parameter> parameters) {
		this.name = name;
		this.sql = sql;
		this.parameters = parameters;
	}

	static LockStatement load(JdbcLockDialect dialect, String name, String tableName) {
		return load(dialect, name, tableName, Map.of());
	}

	/*
	 * Load a statement whose text has further placeholders ({@code {name}}), each
	 * replaced by a value that must be safe to put in SQL text as it is.
	 */
	static LockStatement load(JdbcLockDialect dialect, String name, String tableName,
			Map<String, String> placeholders) {
		String text = compact(
				JdbcLockSchema.stripComments(JdbcLockSchema.resource(dialect.platform() + "/" + name + ".sql")))
			.replace("{table}", tableName);
		for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
			text = text.replace("{" + placeholder.getKey() + "}", placeholder.getValue());
		}
		Matcher matcher = NAMED_PARAMETER.matcher(text);
		List<Parameter> parameters = new ArrayList<>();
		StringBuilder sql = new StringBuilder();
		while (matcher.find()) {
			Parameter parameter = Parameter.named(matcher.group(1), name);
			parameters.add(parameter);
			matcher.appendReplacement(sql, Matcher.quoteReplacement((parameter == Parameter.IDS) ? LIST_MARKER : "?"));
		}
		matcher.appendTail(sql);
		return new LockStatement(name, sql.toString(), List.copyOf(parameters));
	}

	/*
	 * Collapse each run of white space outside string literals into one space: the
	 * statement is sent, and parsed by the driver and the database, on every call.
	 */
	static String compact(String sql) {
		StringBuilder compacted = new StringBuilder(sql.length());
		boolean inLiteral = false;
		boolean pendingSpace = false;
		for (int i = 0; i < sql.length(); i++) {
			char c = sql.charAt(i);
			if (!inLiteral && Character.isWhitespace(c)) {
				pendingSpace = !compacted.isEmpty();
				continue;
			}
			if (pendingSpace) {
				compacted.append(' ');
				pendingSpace = false;
			}
			if (c == '\'') {
				inLiteral = !inLiteral;
			}
			compacted.append(c);
		}
		return compacted.toString();
	}

	String name() {
		return this.name;
	}

	String sql() {
		return this.sql;
	}

	/**
	 * Return the statement's SQL for a list of the given length.
	 * @param listLength how many values the list parameter has, at least one
	 * @return the SQL, with that many positional parameters in place of the list
	 */
	String sql(int listLength) {
		StringBuilder placeholders = new StringBuilder("?");
		for (int i = 1; i < listLength; i++) {
			placeholders.append(", ?");
		}
		return this.sql.replace(LIST_MARKER, placeholders);
	}

	void bind(PreparedStatement statement, Arguments arguments) throws SQLException {
		for (int i = 0; i < this.parameters.size(); i++) {
			int index = i + 1;
			switch (this.parameters.get(i)) {
				case ID -> arguments.bindId(statement, index);
				case NAMESPACE -> statement.setString(index, arguments.key().namespace());
				case KEY -> statement.setString(index, arguments.key().asString());
				case OWNER -> statement.setString(index, arguments.owner());
				case NEXT_OWNER -> statement.setString(index, arguments.nextOwner());
				case LEASE_MICROS -> statement.setLong(index, arguments.leaseMicros());
				case WAIT_KEY -> statement.setLong(index, waitKey(arguments.key()));
				case WAIT_KEY_HIGH -> statement.setLong(index, waitKey(arguments.key()) >>> 32);
				case WAIT_KEY_LOW -> statement.setLong(index, waitKey(arguments.key()) & 0xFFFFFFFFL);
				case LISTENER_PID -> statement.setInt(index, arguments.listenerPid());
				default -> throw new IllegalStateException(
						"Parameter " + this.parameters.get(i) + " of lock statement '" + this.name + "' has no value");
			}
		}
	}

	void bind(PreparedStatement statement, CleanupArguments arguments) throws SQLException {
		int index = 1;
		for (Parameter parameter : this.parameters) {
			switch (parameter) {
				case IDS -> {
					for (String id : arguments.ids()) {
						arguments.bindId(statement, index++, id);
					}
				}
				case AFTER -> arguments.bindId(statement, index++, arguments.after());
				case RETENTION_MICROS -> statement.setLong(index++, arguments.retentionMicros());
				case LIMIT -> statement.setInt(index++, arguments.limit());
				default -> throw new IllegalStateException(
						"Parameter " + parameter + " of housekeeping statement '" + this.name + "' has no value");
			}
		}
	}

	/**
	 * Return the advisory lock key that instances waiting for a lock hold on PostgreSQL:
	 * the first 64 bits of its id.
	 * @param key the lock key
	 * @return the advisory lock key
	 */
	static long waitKey(LockKey key) {
		return key.id().getMostSignificantBits();
	}

	/**
	 * The values a statement may use.
	 *
	 * @param key the lock key, whose {@link LockKey#id()} is the row's primary key
	 * @param owner the owner token, or {@code null} where no statement uses it
	 * @param nextOwner the owner token a hand-over gives the lock to, or {@code null}
	 * where no statement uses it
	 * @param leaseMicros the lease time in microseconds
	 * @param listenerPid PostgreSQL: the backend process id of this store's listening
	 * connection, 0 if it has none
	 * @param idAsText whether the database stores the id as text rather than a native
	 * UUID
	 */
	record Arguments(LockKey key, @Nullable String owner, @Nullable String nextOwner, long leaseMicros, int listenerPid,
			boolean idAsText) {

		Arguments(LockKey key, @Nullable String owner, long leaseMicros, boolean idAsText) {
			this(key, owner, null, leaseMicros, 0, idAsText);
		}

		void bindId(PreparedStatement statement, int index) throws SQLException {
			if (this.idAsText) {
				statement.setString(index, this.key.id().toString());
			}
			else {
				statement.setObject(index, this.key.id());
			}
		}

	}

	/**
	 * The values a housekeeping statement may use.
	 *
	 * @param ids the keys ({@link LockKey#id()} as text) of one page of rows
	 * @param after the key after which a page starts
	 * @param retentionMicros how long a row must have been free, in microseconds
	 * @param limit the most rows of one page
	 * @param idAsText whether the database stores the id as text rather than a native
	 * UUID
	 */
	record CleanupArguments(List<String> ids, String after, long retentionMicros, int limit, boolean idAsText) {

		void bindId(PreparedStatement statement, int index, String id) throws SQLException {
			if (this.idAsText) {
				statement.setString(index, id);
			}
			else {
				statement.setObject(index, UUID.fromString(id));
			}
		}

	}

	enum Parameter {

		ID, NAMESPACE, KEY, OWNER, NEXT_OWNER, LEASE_MICROS, WAIT_KEY, WAIT_KEY_HIGH, WAIT_KEY_LOW, LISTENER_PID, IDS,
		AFTER, RETENTION_MICROS, LIMIT;

		static Parameter named(String name, String statement) {
			return switch (name) {
				case "id" -> ID;
				case "namespace" -> NAMESPACE;
				case "key" -> KEY;
				case "owner" -> OWNER;
				case "nextOwner" -> NEXT_OWNER;
				case "leaseMicros" -> LEASE_MICROS;
				case "waitKey" -> WAIT_KEY;
				case "waitKeyHigh" -> WAIT_KEY_HIGH;
				case "waitKeyLow" -> WAIT_KEY_LOW;
				case "listenerPid" -> LISTENER_PID;
				case "ids" -> IDS;
				case "after" -> AFTER;
				case "retentionMicros" -> RETENTION_MICROS;
				case "limit" -> LIMIT;
				default -> throw new IllegalStateException(
						"Unknown parameter ':" + name + "' in lock statement '" + statement + "'");
			};
		}

	}

}
