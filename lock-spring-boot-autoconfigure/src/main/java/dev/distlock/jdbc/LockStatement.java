package dev.distlock.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.distlock.core.LockKey;

/**
 * One lock statement, read from its resource file: the table name is substituted once,
 * and the named parameters ({@code :id}, {@code :namespace}, {@code :key},
 * {@code :owner}, {@code :leaseMicros}, {@code :waitKey}) become JDBC positional
 * parameters.
 *
 * @author Distributed Lock team
 */
final class LockStatement {

	private static final Pattern NAMED_PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z]+)");

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

	/**
	 * Load a statement whose text has further placeholders ({@code {name}}), each
	 * replaced by a value that must be safe to put in SQL text as it is.
	 */
	static LockStatement load(JdbcLockDialect dialect, String name, String tableName,
			Map<String, String> placeholders) {
		String text = JdbcLockSchema.stripComments(JdbcLockSchema.resource(dialect.platform() + "/" + name + ".sql"))
			.replace("{table}", tableName);
		for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
			text = text.replace("{" + placeholder.getKey() + "}", placeholder.getValue());
		}
		Matcher matcher = NAMED_PARAMETER.matcher(text);
		List<Parameter> parameters = new ArrayList<>();
		StringBuilder sql = new StringBuilder();
		while (matcher.find()) {
			parameters.add(Parameter.named(matcher.group(1), name));
			matcher.appendReplacement(sql, "?");
		}
		matcher.appendTail(sql);
		return new LockStatement(name, sql.toString(), List.copyOf(parameters));
	}

	String name() {
		return this.name;
	}

	String sql() {
		return this.sql;
	}

	void bind(PreparedStatement statement, Arguments arguments) throws SQLException {
		for (int i = 0; i < this.parameters.size(); i++) {
			int index = i + 1;
			switch (this.parameters.get(i)) {
				case ID -> arguments.bindId(statement, index);
				case NAMESPACE -> statement.setString(index, arguments.key().namespace());
				case KEY -> statement.setString(index, arguments.key().asString());
				case OWNER -> statement.setString(index, arguments.owner());
				case LEASE_MICROS -> statement.setLong(index, arguments.leaseMicros());
				case WAIT_KEY -> statement.setLong(index, waitKey(arguments.key()));
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
	 * @param leaseMicros the lease time in microseconds
	 * @param idAsText whether the database stores the id as text rather than a native
	 * UUID
	 */
	record Arguments(LockKey key, @Nullable String owner, long leaseMicros, boolean idAsText) {

		void bindId(PreparedStatement statement, int index) throws SQLException {
			if (this.idAsText) {
				statement.setString(index, this.key.id().toString());
			}
			else {
				statement.setObject(index, this.key.id());
			}
		}

	}

	enum Parameter {

		ID, NAMESPACE, KEY, OWNER, LEASE_MICROS, WAIT_KEY;

		static Parameter named(String name, String statement) {
			return switch (name) {
				case "id" -> ID;
				case "namespace" -> NAMESPACE;
				case "key" -> KEY;
				case "owner" -> OWNER;
				case "leaseMicros" -> LEASE_MICROS;
				case "waitKey" -> WAIT_KEY;
				default -> throw new IllegalStateException(
						"Unknown parameter ':" + name + "' in lock statement '" + statement + "'");
			};
		}

	}

}
