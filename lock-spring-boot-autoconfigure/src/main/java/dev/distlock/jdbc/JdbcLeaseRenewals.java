package dev.distlock.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.distlock.core.LeaseRenewal;
import dev.distlock.core.LockKey;
import org.jspecify.annotations.Nullable;

/**
 * The renewals of one sweep as few statements as the database allows: on PostgreSQL one
 * {@code UPDATE ... FROM unnest(...) RETURNING} per {@value #CHUNK} leases, which answers
 * the renewed rows itself; on MySQL, MariaDB and H2 one {@code UPDATE} per lease time and
 * {@value #CHUNK} leases, whose count says whether all of them were renewed, followed by
 * one {@code SELECT} of the renewed rows only when some were not. A JDBC batch would not
 * do: MariaDB Connector/J either sends it with the bulk protocol, which loses the count
 * of each row, or as one statement per lease, which the server executes one by one.
 * <p>
 * Each statement keeps the semantics of {@code renew.sql}: a lease is extended only while
 * its owner holds the row and the lease has not expired, by the database's clock.
 *
 * @author Distributed Lock team
 */
final class JdbcLeaseRenewals {

	/**
	 * The most leases one statement carries, so that no statement grows without bound.
	 */
	static final int CHUNK = 500;

	private static final Duration ONE_MICROSECOND = Duration.ofNanos(1000);

	private final JdbcLockDialect dialect;

	private final String renewMany;

	private final String renewed;

	JdbcLeaseRenewals(JdbcLockDialect dialect, String tableName) {
		this.dialect = dialect;
		this.renewMany = read(dialect, "renew-many", tableName);
		this.renewed = (dialect != JdbcLockDialect.POSTGRESQL) ? read(dialect, "renewed", tableName) : "";
	}

	private static String read(JdbcLockDialect dialect, String name, String tableName) {
		return JdbcLockSchema.stripComments(JdbcLockSchema.resource(dialect.platform() + "/" + name + ".sql"))
			.replace("{table}", tableName);
	}

	/**
	 * Renew the leases on the given connection, committing each statement if the
	 * connection does not commit by itself.
	 * @param connection the connection
	 * @param renewals the leases to extend
	 * @return for each renewal, in order, whether it was renewed
	 * @throws SQLException if a statement failed
	 */
	List<Boolean> renew(Connection connection, List<LeaseRenewal> renewals) throws SQLException {
		Boolean[] results = new Boolean[renewals.size()];
		Arrays.fill(results, Boolean.FALSE);
		boolean autoCommit = connection.getAutoCommit();
		for (Map.Entry<Duration, List<Integer>> group : groups(renewals).entrySet()) {
			List<Integer> indexes = group.getValue();
			for (int from = 0; from < indexes.size(); from += CHUNK) {
				List<Integer> chunk = indexes.subList(from, Math.min(from + CHUNK, indexes.size()));
				if (this.dialect == JdbcLockDialect.POSTGRESQL) {
					renewWithArrays(connection, renewals, chunk, results);
				}
				else {
					renewWithList(connection, renewals, group.getKey(), chunk, results);
				}
				if (!autoCommit) {
					connection.commit();
				}
			}
		}
		return List.of(results);
	}

	/*
	 * Group the renewals by lease time where the statement takes one lease time (the
	 * scheduler sends one lease time per call anyway); PostgreSQL takes one per row.
	 */
	private Map<Duration, List<Integer>> groups(List<LeaseRenewal> renewals) {
		Map<Duration, List<Integer>> groups = new LinkedHashMap<>();
		for (int i = 0; i < renewals.size(); i++) {
			Duration group = (this.dialect == JdbcLockDialect.POSTGRESQL) ? Duration.ZERO : renewals.get(i).leaseTime();
			groups.computeIfAbsent(group, (lease) -> new ArrayList<>()).add(i);
		}
		return groups;
	}

	private void renewWithArrays(Connection connection, List<LeaseRenewal> renewals, List<Integer> chunk,
			Boolean[] results) throws SQLException {
		String[] ids = new String[chunk.size()];
		String[] owners = new String[chunk.size()];
		Long[] leases = new Long[chunk.size()];
		for (int i = 0; i < chunk.size(); i++) {
			LeaseRenewal renewal = renewals.get(chunk.get(i));
			ids[i] = renewal.key().id().toString();
			owners[i] = renewal.owner();
			leases[i] = micros(renewal.leaseTime());
		}
		Set<String> renewed = new HashSet<>();
		Array idArray = connection.createArrayOf("text", ids);
		Array ownerArray = connection.createArrayOf("text", owners);
		Array leaseArray = connection.createArrayOf("int8", leases);
		try (PreparedStatement statement = connection.prepareStatement(this.renewMany)) {
			statement.setArray(1, idArray);
			statement.setArray(2, ownerArray);
			statement.setArray(3, leaseArray);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					renewed.add(row(rows.getString(1), rows.getString(2)));
				}
			}
		}
		finally {
			idArray.free();
			ownerArray.free();
			leaseArray.free();
		}
		for (int i = 0; i < chunk.size(); i++) {
			results[chunk.get(i)] = renewed.contains(row(ids[i], owners[i]));
		}
	}

	private void renewWithList(Connection connection, List<LeaseRenewal> renewals, Duration leaseTime,
			List<Integer> chunk, Boolean[] results) throws SQLException {
		int count;
		try (PreparedStatement statement = connection.prepareStatement(expand(this.renewMany, chunk.size()))) {
			statement.setLong(1, micros(leaseTime));
			bindKeys(statement, 2, renewals, chunk);
			count = statement.executeUpdate();
		}
		if (count >= chunk.size()) {
			for (int index : chunk) {
				results[index] = Boolean.TRUE;
			}
			return;
		}
		Set<String> renewed = new HashSet<>();
		try (PreparedStatement statement = connection.prepareStatement(expand(this.renewed, chunk.size()))) {
			bindKeys(statement, 1, renewals, chunk);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					renewed.add(row(rows.getString(1), rows.getString(2)));
				}
			}
		}
		for (int index : chunk) {
			LeaseRenewal renewal = renewals.get(index);
			results[index] = renewed.contains(row(renewal.key().id().toString(), renewal.owner()));
		}
	}

	private void bindKeys(PreparedStatement statement, int first, List<LeaseRenewal> renewals, List<Integer> chunk)
			throws SQLException {
		int index = first;
		for (int i : chunk) {
			arguments(renewals.get(i).key(), null).bindId(statement, index++);
		}
		for (int i : chunk) {
			LeaseRenewal renewal = renewals.get(i);
			arguments(renewal.key(), renewal.owner()).bindId(statement, index++);
			statement.setString(index++, renewal.owner());
		}
	}

	private LockStatement.Arguments arguments(LockKey key, @Nullable String owner) {
		return new LockStatement.Arguments(key, owner, 0, this.dialect == JdbcLockDialect.MYSQL);
	}

	private static String expand(String sql, int size) {
		return sql.replace("{ids}", String.join(", ", Collections.nCopies(size, "?")))
			.replace("{pairs}", String.join(", ", Collections.nCopies(size, "(?, ?)")));
	}

	private static String row(String id, String owner) {
		return id + "/" + owner;
	}

	private static long micros(Duration leaseTime) {
		return leaseTime.dividedBy(ONE_MICROSECOND);
	}

}
