package dev.distlock.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.distlock.core.LockGrant;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockRegistry;
import dev.distlock.core.LockStoreException;

/**
 * A {@link LockRegistry} in one table of the application's own database (PostgreSQL,
 * MySQL, MariaDB or H2), with one row per lock key: {@code lock_id}
 * ({@link LockKey#id()}, the primary key), {@code lock_namespace} and {@code lock_key}
 * (readable, for operators), {@code owner}, {@code fencing_token}, {@code acquired_at}
 * and {@code expires_at}. The DDL is in {@link JdbcLockSchema}; the SQL of each operation
 * is a resource file per database under {@code dev/distlock/jdbc/}.
 * <p>
 * <b>One statement per operation, outside any transaction.</b> Every operation takes a
 * connection straight from the {@link DataSource} (never one bound to the caller's
 * transaction), runs one autocommit statement and returns the connection at once: no
 * explicit transaction, no session settings, no isolation changes. Acquire is a single
 * statement that takes over the row if it is free or expired and otherwise inserts it if
 * the key is new (on MySQL and MariaDB, which have no such statement, the insert is a
 * second statement that only runs the first time a key is locked). Release and renew are
 * one {@code UPDATE} each, matched on the owner token and an unexpired lease, so a holder
 * whose lease expired never frees or extends the next holder's lock. Should a pool hand
 * out connections with auto-commit off, each operation commits its own statement.
 * <p>
 * <b>The database's clock.</b> Every time is the database's ({@code now()},
 * {@code UTC_TIMESTAMP(6)}, {@code CURRENT_TIMESTAMP}) and leases travel as durations, so
 * neither the application's clock nor any time zone setting plays a part in whether a
 * lease has expired. The {@link LockGrant#expiresAt()} returned to the caller is this
 * JVM's estimate, taken before the statement was sent, so it errs early.
 * <p>
 * <b>Fencing.</b> Release marks the row free rather than deleting it, and a new holder's
 * token is computed inside the acquiring statement, under the row lock, as
 * {@code GREATEST(fencing_token + 1, <database clock in microseconds>)}: each new holder
 * of a key gets a greater token than every earlier one, however statements interleave. A
 * key's first row starts at the clock in microseconds, so a row deleted by an operator
 * (or a database restored from a backup) cannot send tokens backwards either, assuming
 * the database clock does not jump backwards. Deleting the row at release instead would
 * leave the next token to the clock alone, and a statement's clock reading can be older
 * than the previous holder's (it is taken when the statement starts, possibly before a
 * quick holder came and went), so tokens could step back. The price of keeping rows is
 * one row per key ever locked; free rows that are old can be deleted at any time (see the
 * reference documentation).
 * <p>
 * <b>Waiting</b> polls with jittered exponential backoff (5 ms doubling to 200 ms), never
 * past the wait time. PostgreSQL's {@code LISTEN}/{@code NOTIFY} could wake waiters at
 * release, but it needs a connection held open outside the application's pool per
 * registry (a pool of one would starve) and a driver-specific API, while a hand-off
 * within one backoff step is far below any lease worth taking a database lock for;
 * waiting applications that need faster hand-off are better served by the Redis store.
 * <p>
 * <b>Contention faults.</b> A deadlock or serialization failure (SQLState {@code 40001},
 * {@code 40P01}; MariaDB at its default REPEATABLE READ can pick an acquiring statement
 * as a deadlock victim) or a lost race to insert a new key's row means another owner was
 * acquiring: the attempt counts as "not acquired" and is retried within the wait. A
 * release that hits one is retried a few times. Every other {@link SQLException} becomes
 * a {@link LockStoreException} naming the operation and the key.
 *
 * @author Distributed Lock team
 */
public class JdbcLockRegistry implements LockRegistry {

	private static final Log logger = LogFactory.getLog(JdbcLockRegistry.class);

	private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	private static final int RELEASE_ATTEMPTS = 3;

	private final DataSource dataSource;

	private final String tableName;

	private volatile @Nullable Statements statements;

	/**
	 * Create a registry on the given data source and table. The database is detected on
	 * first use.
	 * @param dataSource the application's data source
	 * @param tableName the lock table, optionally qualified by a schema
	 * @throws IllegalArgumentException if the table name is not a plain SQL identifier
	 */
	public JdbcLockRegistry(DataSource dataSource, String tableName) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
		this.tableName = JdbcLockSchema.validateTableName(tableName);
	}

	/**
	 * Create a registry on the given data source and the table
	 * {@value JdbcLockSchema#DEFAULT_TABLE_NAME}.
	 * @param dataSource the application's data source
	 */
	public JdbcLockRegistry(DataSource dataSource) {
		this(dataSource, JdbcLockSchema.DEFAULT_TABLE_NAME);
	}

	/**
	 * Return the lock table's name.
	 * @return the table name
	 */
	public String getTableName() {
		return this.tableName;
	}

	@Override
	public String storeName() {
		return "jdbc";
	}

	@Override
	public Optional<LockGrant> tryAcquire(LockKey key, String owner, Duration leaseTime, Duration waitTime)
			throws InterruptedException {
		long deadline = System.nanoTime() + waitTime.toNanos();
		long backoff = MIN_BACKOFF_NANOS;
		while (true) {
			Optional<LockGrant> grant = attempt(key, owner, leaseTime);
			long remaining = deadline - System.nanoTime();
			if (grant.isPresent() || remaining <= 0) {
				return grant;
			}
			// Equal jitter: waiters that failed together do not poll again together.
			long sleep = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
			TimeUnit.NANOSECONDS.sleep(Math.min(sleep, remaining));
			backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
		}
	}

	private Optional<LockGrant> attempt(LockKey key, String owner, Duration leaseTime) {
		Statements statements = statements();
		LockStatement.Arguments arguments = statements.arguments(key, owner, leaseTime);
		Instant expiresAt = Instant.now().plus(leaseTime);
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			try {
				Long token = (statements.dialect == JdbcLockDialect.MYSQL)
						? acquireWithInsertId(connection, statements, arguments)
						: queryToken(connection, statements.acquire, arguments);
				if (!autoCommit) {
					connection.commit();
				}
				return (token != null) ? Optional.of(new LockGrant(token, expiresAt)) : Optional.empty();
			}
			catch (SQLException ex) {
				if (!autoCommit) {
					connection.rollback();
				}
				throw ex;
			}
		}
		catch (SQLException ex) {
			if (isLostRace(ex)) {
				if (logger.isDebugEnabled()) {
					logger.debug("Acquiring lock '" + key + "' lost a race with another owner (SQLState "
							+ ex.getSQLState() + "): not acquired", ex);
				}
				return Optional.empty();
			}
			throw failure("acquire", key, ex);
		}
	}

	private @Nullable Long queryToken(Connection connection, LockStatement statement, LockStatement.Arguments arguments)
			throws SQLException {
		try (PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
			statement.bind(prepared, arguments);
			try (ResultSet result = prepared.executeQuery()) {
				return result.next() ? result.getLong(1) : null;
			}
		}
	}

	/**
	 * MySQL and MariaDB: take over the row; if none matched, insert it in case the key is
	 * new. Both statements hand the new token back as the insert id of their OK packet.
	 */
	private @Nullable Long acquireWithInsertId(Connection connection, Statements statements,
			LockStatement.Arguments arguments) throws SQLException {
		Long token = updateReturningInsertId(connection, statements.acquire, arguments);
		return (token != null) ? token : updateReturningInsertId(connection, statements.acquireNew, arguments);
	}

	private @Nullable Long updateReturningInsertId(Connection connection, LockStatement statement,
			LockStatement.Arguments arguments) throws SQLException {
		try (PreparedStatement prepared = connection.prepareStatement(statement.sql(),
				Statement.RETURN_GENERATED_KEYS)) {
			statement.bind(prepared, arguments);
			if (prepared.executeUpdate() != 1) {
				return null;
			}
			try (ResultSet keys = prepared.getGeneratedKeys()) {
				if (!keys.next()) {
					throw new SQLException("No fencing token returned by lock statement '" + statement.name() + "'");
				}
				return keys.getLong(1);
			}
		}
	}

	@Override
	public boolean renew(LockKey key, String owner, Duration leaseTime) {
		Statements statements = statements();
		try {
			return update(statements.renew, statements.arguments(key, owner, leaseTime)) == 1;
		}
		catch (SQLException ex) {
			throw failure("renew", key, ex);
		}
	}

	@Override
	public boolean release(LockKey key, String owner) {
		Statements statements = statements();
		LockStatement.Arguments arguments = statements.arguments(key, owner, Duration.ZERO);
		for (int attempt = 1;; attempt++) {
			try {
				return update(statements.release, arguments) == 1;
			}
			catch (SQLException ex) {
				if (attempt >= RELEASE_ATTEMPTS || !isLostRace(ex)) {
					throw failure("release", key, ex);
				}
				logger.debug("Retrying release of lock '" + key + "' after SQLState " + ex.getSQLState(), ex);
			}
		}
	}

	@Override
	public boolean forceRelease(LockKey key) {
		Statements statements = statements();
		LockStatement.Arguments arguments = statements.arguments(key, null, Duration.ZERO);
		for (int attempt = 1;; attempt++) {
			try {
				return update(statements.forceRelease, arguments) == 1;
			}
			catch (SQLException ex) {
				if (attempt >= RELEASE_ATTEMPTS || !isLostRace(ex)) {
					throw failure("force-release", key, ex);
				}
			}
		}
	}

	@Override
	public void checkAvailability() {
		Statements statements = statements();
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement prepared = connection.prepareStatement(statements.check.sql());
				ResultSet result = prepared.executeQuery()) {
			result.next();
		}
		catch (SQLException ex) {
			throw new LockStoreException("Lock table '" + this.tableName + "' is not available: " + ex.getMessage(),
					ex);
		}
	}

	private int update(LockStatement statement, LockStatement.Arguments arguments) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			try (PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
				statement.bind(prepared, arguments);
				int count = prepared.executeUpdate();
				if (!autoCommit) {
					connection.commit();
				}
				return count;
			}
			catch (SQLException ex) {
				if (!autoCommit) {
					connection.rollback();
				}
				throw ex;
			}
		}
	}

	private Statements statements() {
		Statements statements = this.statements;
		if (statements == null) {
			synchronized (this) {
				statements = this.statements;
				if (statements == null) {
					statements = new Statements(detectDialect(), this.tableName);
					this.statements = statements;
				}
			}
		}
		return statements;
	}

	private JdbcLockDialect detectDialect() {
		try (Connection connection = this.dataSource.getConnection()) {
			return JdbcLockDialect.of(connection);
		}
		catch (SQLException ex) {
			throw new LockStoreException("Failed to connect to the database of lock table '" + this.tableName + "'",
					ex);
		}
	}

	/**
	 * Whether an exception means that another owner got in the way: a deadlock victim or
	 * serialization failure, or a duplicate key from a concurrent first insert of a key's
	 * row.
	 */
	private static boolean isLostRace(SQLException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sqlException) {
				String state = sqlException.getSQLState();
				if ("40001".equals(state) || "40P01".equals(state) || "23505".equals(state)
						|| sqlException.getErrorCode() == 1213) {
					return true;
				}
			}
		}
		return false;
	}

	private LockStoreException failure(String operation, LockKey key, SQLException ex) {
		return new LockStoreException("Failed to " + operation + " lock '" + key + "' in table '" + this.tableName
				+ "' (SQLState " + ex.getSQLState() + "): " + ex.getMessage(), ex);
	}

	/**
	 * The statements of one database, read once.
	 */
	private static final class Statements {

		private static final Duration ONE_MICROSECOND = Duration.ofNanos(1000);

		private final JdbcLockDialect dialect;

		private final LockStatement acquire;

		private final LockStatement acquireNew;

		private final LockStatement renew;

		private final LockStatement release;

		private final LockStatement forceRelease;

		private final LockStatement check;

		Statements(JdbcLockDialect dialect, String tableName) {
			this.dialect = dialect;
			this.acquire = LockStatement.load(dialect, "acquire", tableName);
			this.acquireNew = (dialect == JdbcLockDialect.MYSQL) ? LockStatement.load(dialect, "acquire-new", tableName)
					: this.acquire;
			this.renew = LockStatement.load(dialect, "renew", tableName);
			this.release = LockStatement.load(dialect, "release", tableName);
			this.forceRelease = LockStatement.load(dialect, "force-release", tableName);
			this.check = LockStatement.load(dialect, "check", tableName);
		}

		LockStatement.Arguments arguments(LockKey key, @Nullable String owner, Duration leaseTime) {
			long leaseMicros = leaseTime.dividedBy(ONE_MICROSECOND);
			return new LockStatement.Arguments(key, owner, leaseMicros, this.dialect == JdbcLockDialect.MYSQL);
		}

	}

}
