package dev.distlock.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.distlock.core.AcquireResult;
import dev.distlock.core.Durations;
import dev.distlock.core.HandOverResult;
import dev.distlock.core.LeaseRenewal;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockStoreException;
import dev.distlock.core.LockWaitListener;
import dev.distlock.core.LockWaiters;
import dev.distlock.core.WaitSubscription;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;

/**
 * A {@link LockStore} in one table of the application's own database (PostgreSQL, MySQL,
 * MariaDB or H2), with one row per lock key: {@code lock_id} ({@link LockKey#id()}, the
 * primary key), {@code lock_namespace} and {@code lock_key} (readable, for operators),
 * {@code owner}, {@code fencing_token}, {@code acquired_at} and {@code expires_at}. The
 * DDL is in {@link JdbcLockSchema}; the SQL of each operation is a resource file per
 * database under {@code dev/distlock/jdbc/}.
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
 * lease has expired. The holder's lease ends by this JVM's clock, counted from before the
 * statement was sent, so it errs early.
 * <p>
 * <b>Fencing.</b> Release marks the row free rather than deleting it (it ends the lease
 * now and leaves the owner for the next holder to replace: one fixed-size column updated
 * in place, the cheapest write on MySQL and MariaDB), and a new holder's token is
 * computed inside the acquiring statement, under the row lock, as
 * {@code GREATEST(fencing_token + 1, <database clock in microseconds>)}: each new holder
 * of a key gets a greater token than every earlier one, however statements interleave. A
 * key's first row starts at the clock in microseconds, so a row deleted by an operator
 * (or a database restored from a backup) cannot send tokens backwards either, assuming
 * the database clock does not jump backwards. Deleting the row at release instead would
 * leave the next token to the clock alone, and a statement's clock reading can be older
 * than the previous holder's (it is taken when the statement starts, possibly before a
 * quick holder came and went), so tokens could step back. The price of keeping rows is
 * one row per key ever locked, bounded by {@link JdbcLockCleanup}, which deletes the rows
 * of keys that have been free for longer than a retention.
 * <p>
 * <b>Threads and time bounds.</b> Statements block, so the template runs them on the
 * calling thread when that thread waits anyway, and on this store's executor otherwise
 * (threads named {@code distributed-lock-jdbc-N}). Every statement is bounded by the
 * store's time-out through {@link Connection#setNetworkTimeout} (never longer than the
 * caller's remaining wait), so a database that stops answering is a
 * {@link LockStoreException} after that time, not a hang.
 * <p>
 * <b>Waiting.</b> A release by this JVM wakes the longest waiter of the key here at once.
 * On PostgreSQL with its driver (pgjdbc) a release also announces itself with
 * {@code NOTIFY}, in the releasing statement and only when some instance waits for the
 * key, to the one connection per store that listens while this JVM has waiters; the
 * announcement wakes the longest waiter of the key here. Elsewhere waiters for locks held
 * by other instances poll. Every waiter also retries at least every poll interval.
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
public class JdbcLockStore implements LockStore, DisposableBean, AutoCloseable {

	private static final Log logger = LogFactory.getLog(JdbcLockStore.class);

	private static final int RELEASE_ATTEMPTS = 3;

	/**
	 * PostgreSQL: how long a waiter of this instance lets the lock go to waiters of other
	 * instances, woken by the release's announcement, when a hot key's holder here yields
	 * to them (see {@link #handOver}); it retries then unless a release woke it first.
	 */
	public static final Duration YIELD_WINDOW = Duration.ofMillis(50);

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private final DataSource dataSource;

	private final String tableName;

	private final Duration timeout;

	private final Executor executor;

	private final @Nullable ExecutorService ownExecutor;

	private final LockWaiters waiters = new LockWaiters();

	private final JdbcReleaseNotifications notifications;

	private volatile @Nullable Statements statements;

	private volatile @Nullable JdbcLeaseRenewals leaseRenewals;

	/**
	 * Create a store on the given data source and table, with a five second bound on
	 * statements and an executor of its own. The database is detected on first use.
	 * @param dataSource the application's data source
	 * @param tableName the lock table, optionally qualified by a schema
	 * @throws IllegalArgumentException if the table name is not a plain SQL identifier
	 */
	public JdbcLockStore(DataSource dataSource, String tableName) {
		this(dataSource, tableName, DEFAULT_TIMEOUT, null);
	}

	/**
	 * Create a store on the given data source and the table
	 * {@value JdbcLockSchema#DEFAULT_TABLE_NAME}.
	 * @param dataSource the application's data source
	 */
	public JdbcLockStore(DataSource dataSource) {
		this(dataSource, JdbcLockSchema.DEFAULT_TABLE_NAME);
	}

	/**
	 * Create a store.
	 * @param dataSource the application's data source
	 * @param tableName the lock table, optionally qualified by a schema
	 * @param timeout the longest one statement may take, network included
	 * @param executor the executor that statements run on when the caller must not block,
	 * or {@code null} for one of the store's own with as many threads as there are
	 * processors (at least two)
	 * @throws IllegalArgumentException if the table name is not a plain SQL identifier
	 */
	public JdbcLockStore(DataSource dataSource, String tableName, Duration timeout, @Nullable Executor executor) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
		this.tableName = JdbcLockSchema.validateTableName(tableName);
		this.timeout = Durations.requirePositive(timeout, "timeout");
		this.notifications = new JdbcReleaseNotifications(this.dataSource, this.tableName, this.waiters);
		if (executor != null) {
			this.executor = executor;
			this.ownExecutor = null;
		}
		else {
			this.ownExecutor = newExecutor();
			this.executor = this.ownExecutor;
		}
	}

	private static ExecutorService newExecutor() {
		int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (runnable) -> {
					Thread thread = new Thread(runnable, "distributed-lock-jdbc-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	/**
	 * Return the lock table's name.
	 * @return the table name
	 */
	public String getTableName() {
		return this.tableName;
	}

	/**
	 * Return the longest one statement may take, network included.
	 * @return the time-out
	 */
	Duration timeout() {
		return this.timeout;
	}

	/**
	 * Return the database's dialect, detecting it on first use.
	 * @return the dialect
	 */
	JdbcLockDialect dialect() {
		return statements().dialect;
	}

	@Override
	public String storeName() {
		return "jdbc";
	}

	@Override
	public CompletionStage<AcquireResult> tryAcquire(LockRequest request) {
		try {
			return tryAcquireNow(request);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private CompletionStage<AcquireResult> tryAcquireNow(LockRequest request) {
		LockKey key = request.key();
		Statements statements = statements();
		statements.checkKey(key, this.tableName);
		LockStatement.Arguments arguments = statements.arguments(key, request.owner(), request.leaseTime());
		Duration bound = shorter(request.timeout());
		try (Connection connection = connection(bound)) {
			Long token = committed(connection, () -> switch (statements.dialect) {
				case MYSQL -> acquireWithInsertId(connection, statements, arguments);
				case POSTGRESQL -> acquireOrInsert(connection, statements, arguments);
				case H2 -> queryToken(connection, statements.acquire, arguments);
			});
			return CompletableFuture
				.completedFuture((token != null) ? AcquireResult.acquired(token) : AcquireResult.held());
		}
		catch (SQLException ex) {
			if (isLostRace(ex)) {
				if (logger.isDebugEnabled()) {
					logger.debug("Acquiring lock '" + key + "' lost a race with another owner (SQLState "
							+ ex.getSQLState() + "): not acquired", ex);
				}
				return CompletableFuture.completedFuture(AcquireResult.held());
			}
			return CompletableFuture.failedFuture(failure("acquire", key, ex));
		}
	}

	private Duration shorter(Duration bound) {
		return (bound.compareTo(this.timeout) < 0) ? bound : this.timeout;
	}

	/*
	 * Borrow a connection whose statements time out after the bound, network included.
	 */
	Connection connection(Duration bound) throws SQLException {
		Connection connection = this.dataSource.getConnection();
		try {
			connection.setNetworkTimeout(Runnable::run,
					(int) Math.max(1, Math.min(bound.toMillis(), Integer.MAX_VALUE)));
		}
		catch (SQLFeatureNotSupportedException ex) {
			// An embedded database (H2 in memory) has no network to bound.
		}
		catch (SQLException ex) {
			connection.close();
			throw ex;
		}
		return connection;
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

	/*
	 * PostgreSQL: take over the row; if none matched, insert it in case the key is new. A
	 * single statement that does both (a data-modifying CTE) measured 0.85x the benchmark
	 * floor's pair at 16 threads, the plain UPDATE 0.92x (docs/jdbc-store.md): a key
	 * locked before, the common case, is one round trip either way, and only a new key or
	 * a held one pays the second.
	 */
	private @Nullable Long acquireOrInsert(Connection connection, Statements statements,
			LockStatement.Arguments arguments) throws SQLException {
		Long token = queryToken(connection, statements.acquire, arguments);
		return (token != null) ? token : queryToken(connection, statements.acquireNew, arguments);
	}

	/*
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
	public CompletionStage<List<Boolean>> renew(List<LeaseRenewal> renewals) {
		try {
			return renewNow(renewals);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private CompletionStage<List<Boolean>> renewNow(List<LeaseRenewal> renewals) {
		if (renewals.isEmpty()) {
			return CompletableFuture.completedFuture(List.of());
		}
		JdbcLeaseRenewals batch = leaseRenewals();
		try (Connection connection = connection(this.timeout)) {
			try {
				return CompletableFuture.completedFuture(batch.renew(connection, renewals));
			}
			catch (SQLException ex) {
				if (!connection.getAutoCommit()) {
					connection.rollback();
				}
				throw ex;
			}
		}
		catch (SQLException ex) {
			return CompletableFuture.failedFuture(failure("renew", renewals.get(0).key(), ex));
		}
	}

	private JdbcLeaseRenewals leaseRenewals() {
		JdbcLeaseRenewals renewals = this.leaseRenewals;
		if (renewals == null) {
			renewals = new JdbcLeaseRenewals(statements().dialect, this.tableName);
			this.leaseRenewals = renewals;
		}
		return renewals;
	}

	@Override
	public CompletionStage<Boolean> release(LockKey key, String owner) {
		try {
			return releaseNow(key, owner);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private CompletionStage<Boolean> releaseNow(LockKey key, String owner) {
		return releaseNow(key, owner, true);
	}

	private CompletionStage<Boolean> releaseNow(LockKey key, String owner, boolean wakeLocal) {
		Statements statements = statements();
		LockStatement.Arguments arguments = statements.arguments(key, owner, Duration.ZERO);
		for (int attempt = 1;; attempt++) {
			try {
				boolean released = update(statements.release, arguments) == 1;
				if (released && wakeLocal) {
					this.waiters.wakeOne(key);
				}
				return CompletableFuture.completedFuture(released);
			}
			catch (SQLException ex) {
				if (attempt >= RELEASE_ATTEMPTS || !isLostRace(ex)) {
					return CompletableFuture.failedFuture(failure("release", key, ex));
				}
				logger.debug("Retrying release of lock '" + key + "' after SQLState " + ex.getSQLState(), ex);
			}
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * On PostgreSQL, one statement ({@code handover.sql}) that moves the row from
	 * {@code owner} to {@code next} with the next fencing token: the lock changes hands
	 * in one commit and is never free in between. When {@code yieldToOthers} is set, the
	 * statement ({@code handover-yield.sql}) first looks whether another instance's
	 * listening connection holds the key's wait lock (its waiters wait for the key); if
	 * so, it releases the lock to them instead, announced as every release is, and
	 * {@code next} keeps waiting, retrying after {@link #YIELD_WINDOW} unless a release
	 * wakes it first. Either way one statement. If {@code owner} no longer held the lock,
	 * an ordinary attempt for {@code next} follows.
	 * <p>
	 * Elsewhere (MySQL, MariaDB, H2, PostgreSQL without pgjdbc), and for fair locks, a
	 * release and then an attempt, as the default does. There the waiters of other
	 * instances poll, and this store cannot tell whether they do: the moment the lock is
	 * free between the two statements is what lets their polls in, so a hot key still
	 * changes instances.
	 */
	@Override
	public CompletionStage<HandOverResult> handOver(LockKey key, String owner, LockRequest next,
			boolean yieldToOthers) {
		try {
			if (next.fair() || !JdbcReleaseNotifications.announcesReleases(statements().dialect)) {
				return LockStore.super.handOver(key, owner, next, yieldToOthers);
			}
			return handOverNow(key, owner, next, yieldToOthers);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private CompletionStage<HandOverResult> handOverNow(LockKey key, String owner, LockRequest next,
			boolean yieldToOthers) {
		Statements statements = statements();
		statements.checkKey(key, this.tableName);
		PostgresReleaseListener listener = this.notifications.listener();
		LockStatement.Arguments arguments = statements.arguments(key, owner, next.owner(), next.leaseTime(),
				(listener != null) ? listener.backendPid() : 0);
		LockStatement statement = Objects
			.requireNonNull(yieldToOthers ? statements.handOverOrYield : statements.handOver);
		HandOver handed;
		for (int attempt = 1;; attempt++) {
			try {
				handed = handOverOnce(statement, yieldToOthers, arguments, shorter(next.timeout()));
				break;
			}
			catch (SQLException ex) {
				if (attempt >= RELEASE_ATTEMPTS || !isLostRace(ex)) {
					// As after a failed release: the holder's lease is released in the
					// background, and the waiter's acquisition takes the failure for that
					// of an attempt of its own (and gives up a grant it may have got).
					return CompletableFuture.failedFuture(failure("hand over", key, ex));
				}
				logger.debug("Retrying hand-over of lock '" + key + "' after SQLState " + ex.getSQLState(), ex);
			}
		}
		if (handed == null) {
			// The owner no longer held the lock: the next holder tries on its own.
			return tryAcquireNow(next).thenApply((result) -> new HandOverResult(false, result));
		}
		return CompletableFuture.completedFuture(new HandOverResult(true,
				handed.yielded() ? AcquireResult.held(YIELD_WINDOW) : AcquireResult.acquired(handed.fencingToken())));
	}

	/*
	 * Run handover.sql (one column: the token) or handover-yield.sql (whether it yielded,
	 * and the token). No row: the owner no longer held the lock.
	 */
	private @Nullable HandOver handOverOnce(LockStatement statement, boolean mayYield,
			LockStatement.Arguments arguments, Duration bound) throws SQLException {
		try (Connection connection = connection(bound)) {
			return committed(connection, () -> {
				try (PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
					statement.bind(prepared, arguments);
					try (ResultSet result = prepared.executeQuery()) {
						if (!result.next()) {
							return null;
						}
						return mayYield ? new HandOver(result.getBoolean(1), result.getLong(2))
								: new HandOver(false, result.getLong(1));
					}
				}
			});
		}
	}

	@Override
	public CompletionStage<Boolean> forceRelease(LockKey key) {
		try {
			return forceReleaseNow(key);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private CompletionStage<Boolean> forceReleaseNow(LockKey key) {
		Statements statements = statements();
		LockStatement.Arguments arguments = statements.arguments(key, null, Duration.ZERO);
		for (int attempt = 1;; attempt++) {
			try {
				boolean released = update(statements.forceRelease, arguments) == 1;
				if (released) {
					this.waiters.wakeOne(key);
				}
				return CompletableFuture.completedFuture(released);
			}
			catch (SQLException ex) {
				if (attempt >= RELEASE_ATTEMPTS || !isLostRace(ex)) {
					return CompletableFuture.failedFuture(failure("force-release", key, ex));
				}
			}
		}
	}

	@Override
	public WaitSubscription subscribe(LockKey key, String owner, Runnable onRelease) {
		return subscribe(key, owner, LockWaitListener.onRelease(onRelease));
	}

	@Override
	public WaitSubscription subscribe(LockKey key, String owner, LockWaitListener listener) {
		JdbcLockDialect dialect = statements().dialect;
		return this.notifications.subscribe(dialect, key, this.waiters.register(key, owner, listener));
	}

	@Override
	public Duration pollInterval() {
		return Duration.ofMillis(100);
	}

	@Override
	public Executor blockingExecutor() {
		return this.executor;
	}

	/**
	 * Stop listening for releases (PostgreSQL) and shut down the store's own executor, if
	 * it has one.
	 */
	@Override
	public void close() {
		this.notifications.close();
		if (this.ownExecutor != null) {
			this.ownExecutor.shutdown();
		}
	}

	@Override
	public void destroy() {
		close();
	}

	@Override
	public void checkAvailability() {
		Statements statements = statements();
		try (Connection connection = connection(this.timeout);
				PreparedStatement prepared = connection.prepareStatement(statements.check.sql());
				ResultSet result = prepared.executeQuery()) {
			result.next();
		}
		catch (SQLException ex) {
			throw new LockStoreException("Lock table '" + this.tableName + "' is not available: " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Return the PostgreSQL listener of this store, if one was started.
	 * @return the listener or {@code null}
	 */
	@Nullable PostgresReleaseListener releaseListener() {
		return this.notifications.listener();
	}

	private int update(LockStatement statement, LockStatement.Arguments arguments) throws SQLException {
		try (Connection connection = connection(this.timeout)) {
			return committed(connection, () -> execute(connection, statement, arguments));
		}
	}

	/*
	 * Run one operation's statements and commit them where the pool hands out connections
	 * with auto-commit off (rolling them back if they fail); with auto-commit on, each
	 * statement has committed already.
	 */
	private static <T extends @Nullable Object> T committed(Connection connection, SqlWork<T> work)
			throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		try {
			T value = work.run();
			if (!autoCommit) {
				connection.commit();
			}
			return value;
		}
		catch (SQLException ex) {
			if (!autoCommit) {
				connection.rollback();
			}
			throw ex;
		}
	}

	private static int execute(Connection connection, LockStatement statement, LockStatement.Arguments arguments)
			throws SQLException {
		try (PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
			statement.bind(prepared, arguments);
			return prepared.executeUpdate();
		}
	}

	private Statements statements() {
		Statements statements = this.statements;
		if (statements == null) {
			synchronized (this) {
				statements = this.statements;
				if (statements == null) {
					statements = new Statements(detectDialect(), this.tableName, this.notifications);
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

	/*
	 * Whether an exception means that another owner got in the way: a deadlock victim or
	 * serialization failure, or a duplicate key from a concurrent first insert of a key's
	 * row. <p> Deliberately not spring-jdbc's translators: their categories are wider
	 * than this question. {@code SQLExceptionSubclassTranslator} makes all of SQLState
	 * class 40 a {@code PessimisticLockingFailureException}, 40003
	 * ("statement completion unknown", after which the acquire may have committed)
	 * included, and the error-code translator makes lock-wait timeouts (PostgreSQL 55P03,
	 * MySQL 1205, H2 50200) the same {@code CannotAcquireLockException} as a
	 * serialization failure; either would turn a lock state the caller cannot know into a
	 * silent "not acquired". Translating also builds a second exception, stack trace and
	 * all, for every deadlock victim on a contended key. The startup check, where
	 * "the database did not answer" is wide on purpose, does use the translator ({@link
	 * JdbcLockSchema#verifyTable}).
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

		private final JdbcLockDialect dialect;

		private final LockStatement acquire;

		private final LockStatement acquireNew;

		private final LockStatement renew;

		private final LockStatement release;

		/** PostgreSQL only: see {@link JdbcLockStore#handOver}. */
		private final @Nullable LockStatement handOver;

		/** PostgreSQL only: see {@link JdbcLockStore#handOver}. */
		private final @Nullable LockStatement handOverOrYield;

		private final LockStatement forceRelease;

		private final LockStatement check;

		Statements(JdbcLockDialect dialect, String tableName, JdbcReleaseNotifications notifications) {
			this.dialect = dialect;
			this.acquire = LockStatement.load(dialect, "acquire", tableName);
			this.acquireNew = (dialect != JdbcLockDialect.H2) ? LockStatement.load(dialect, "acquire-new", tableName)
					: this.acquire;
			this.renew = LockStatement.load(dialect, "renew", tableName);
			this.release = notifications.releaseStatement(dialect, "release");
			boolean postgres = dialect == JdbcLockDialect.POSTGRESQL;
			this.handOver = postgres ? LockStatement.load(dialect, "handover", tableName) : null;
			this.handOverOrYield = postgres ? notifications.handOverOrYieldStatement(dialect) : null;
			this.forceRelease = notifications.releaseStatement(dialect, "force-release");
			this.check = LockStatement.load(dialect, "check", tableName);
		}

		/*
		 * Reject a key whose readable form the table cannot store whole: MySQL and
		 * MariaDB would truncate it (with a warning only, under {@code INSERT IGNORE}).
		 */
		void checkKey(LockKey key, String tableName) {
			int maxNamespace = this.dialect.maxNamespaceLength();
			int maxKey = this.dialect.maxKeyLength();
			if (key.namespace().length() > maxNamespace || key.asString().length() > maxKey) {
				throw new dev.distlock.core.InvalidLockKeyException(
						"Lock key '" + abbreviate(key.asString()) + "' is too long for lock table '" + tableName
								+ "' on " + this.dialect.displayName() + ": its namespace may have at most "
								+ maxNamespace + " characters and the whole key at most " + maxKey,
						null);
			}
		}

		private static String abbreviate(String value) {
			return (value.length() > 80) ? value.substring(0, 77) + "..." : value;
		}

		LockStatement.Arguments arguments(LockKey key, @Nullable String owner, Duration leaseTime) {
			return arguments(key, owner, null, leaseTime, 0);
		}

		LockStatement.Arguments arguments(LockKey key, @Nullable String owner, @Nullable String nextOwner,
				Duration leaseTime, int listenerPid) {
			// Not Duration.dividedBy(Duration): it divides BigDecimals, which profiling
			// showed as a fifth of the client's CPU time per acquire and release.
			long leaseMicros = TimeUnit.MICROSECONDS.convert(leaseTime);
			return new LockStatement.Arguments(key, owner, nextOwner, leaseMicros, listenerPid,
					this.dialect == JdbcLockDialect.MYSQL);
		}

	}

	/**
	 * The statements of one operation, run by {@link #committed}.
	 *
	 * @param <T> what they return
	 */
	@FunctionalInterface
	private interface SqlWork<T extends @Nullable Object> {

		T run() throws SQLException;

	}

	/**
	 * What a hand-over statement did.
	 *
	 * @param yielded whether it released the lock to other instances' waiters
	 * @param fencingToken the next holder's fencing token, if it did not
	 */
	private record HandOver(boolean yielded, long fencingToken) {
	}

}
