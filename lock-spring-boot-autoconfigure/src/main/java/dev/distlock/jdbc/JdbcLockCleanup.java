package dev.distlock.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.distlock.core.AcquireResult;
import dev.distlock.core.Durations;
import dev.distlock.core.LeaseRenewal;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockStoreException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Housekeeping of a {@link JdbcLockStore}'s table: deletes the rows of keys that have
 * been free (released, or expired after their holder vanished) for longer than a
 * retention, so that the table holds only the keys locked within the retention rather
 * than one row for every key ever locked.
 * <p>
 * <b>Bounded work.</b> A run walks the table in primary-key order, one page of at most
 * {@value #BATCH_SIZE} rows at a time: a plain read of the page (which locks nothing),
 * then one {@code DELETE} of the page's deletable rows by primary key, which checks the
 * condition again on each row's latest version, so a key taken since the page was read
 * stays (on PostgreSQL a row that another statement has locked right now is skipped, not
 * waited for). Each statement runs on its own, in auto-commit, bounded by the store's
 * time-out: there is never a long transaction, a range or table lock, or a statement that
 * touches more than one page. A run ends at the end of the table, or after
 * {@value #MAX_PAGES_PER_RUN} pages, in which case the next run on this instance goes on
 * from there.
 * <p>
 * <b>One instance at a time.</b> A run first takes the lock {@link #LOCK_KEY} in the
 * store itself, without waiting: while another instance cleans up, this one skips its
 * run. The lock's lease is renewed between pages while the run goes on.
 * <p>
 * <b>Fencing.</b> A key's first row starts its fencing tokens from the database clock in
 * microseconds, so a key whose row was deleted gets greater tokens than before, provided
 * the deleted row's last token was below the clock when the new row is inserted. A row is
 * therefore deleted only when, besides having been free for the retention, its last token
 * is older than the retention by the database clock (a token can run ahead of the clock
 * only by the number of holders a key had within one microsecond). That keeps tokens
 * strictly increasing as long as the database clock does not jump backwards and no lock
 * statement runs for longer than the retention (which is why the retention should be far
 * longer than the store's time-out; the default of a day is).
 * <p>
 * <b>Schedule.</b> As a {@link SmartLifecycle}, it runs on one daemon thread of its own,
 * {@code distributed-lock-jdbc-cleanup}, first a minute after start (or one interval, if
 * that is shorter), then every interval; {@link #stop()} (or {@link #close()}) ends the
 * thread, letting a running page finish. {@link #cleanUp()} runs once, on the caller's
 * thread.
 *
 * @author Distributed Lock team
 */
public class JdbcLockCleanup implements SmartLifecycle, AutoCloseable {

	/**
	 * The lock that one instance holds while it cleans up.
	 */
	public static final LockKey LOCK_KEY = LockKey.of("distributed-lock", "cleanup");

	static final int BATCH_SIZE = 500;

	static final int MAX_PAGES_PER_RUN = 10_000;

	private static final Duration FIRST_RUN_DELAY = Duration.ofMinutes(1);

	private static final Duration MINIMUM_LEASE = Duration.ofMinutes(2);

	/**
	 * Below every {@link LockKey#id()} in both its native and its text form.
	 */
	private static final String START = new UUID(0, 0).toString();

	private static final Log logger = LogFactory.getLog(JdbcLockCleanup.class);

	private final JdbcLockStore store;

	private final Duration retention;

	private final Duration interval;

	private final int batchSize;

	private final Duration lease;

	private final AtomicLong rowsRemoved = new AtomicLong();

	private final Object lifecycleMonitor = new Object();

	private volatile @Nullable ScheduledThreadPoolExecutor executor;

	private volatile boolean stopping;

	private volatile @Nullable Statements statements;

	private String resumeAfter = START;

	/**
	 * Create the housekeeping of a store.
	 * @param store the store whose table is cleaned up
	 * @param retention how long a key must have been free before its row is deleted
	 * @param interval the time between two runs
	 */
	public JdbcLockCleanup(JdbcLockStore store, Duration retention, Duration interval) {
		this(store, retention, interval, BATCH_SIZE);
	}

	JdbcLockCleanup(JdbcLockStore store, Duration retention, Duration interval, int batchSize) {
		this.store = Objects.requireNonNull(store, "store must not be null");
		this.retention = Durations.requirePositive(retention, "retention");
		this.interval = Durations.requirePositive(interval, "interval");
		if (batchSize < 1) {
			throw new IllegalArgumentException("batchSize must be positive");
		}
		this.batchSize = batchSize;
		Duration renewable = store.timeout().multipliedBy(4);
		this.lease = (renewable.compareTo(MINIMUM_LEASE) > 0) ? renewable : MINIMUM_LEASE;
	}

	/**
	 * Return how many rows this housekeeping has deleted since it was created.
	 * @return the rows deleted
	 */
	public long getRowsRemoved() {
		return this.rowsRemoved.get();
	}

	/**
	 * Return how long a key must have been free before its row is deleted.
	 * @return the retention
	 */
	public Duration getRetention() {
		return this.retention;
	}

	/**
	 * Return the time between two runs.
	 * @return the interval
	 */
	public Duration getInterval() {
		return this.interval;
	}

	/**
	 * Run once, on the calling thread, unless another instance is cleaning up.
	 * @return the rows deleted, or empty if the run was skipped because another instance
	 * holds {@link #LOCK_KEY}
	 * @throws LockStoreException if the database failed
	 */
	public synchronized OptionalLong cleanUp() {
		String owner = "cleanup:" + UUID.randomUUID();
		long leaseStart = System.nanoTime();
		if (!acquire(owner)) {
			logger.debug("Skipping the clean-up of lock table '" + this.store.getTableName()
					+ "': another instance is cleaning it up");
			return OptionalLong.empty();
		}
		long removed = 0;
		int statementsSent = 0;
		try {
			Statements statements = statements();
			String after = this.resumeAfter;
			for (int page = 0; page < MAX_PAGES_PER_RUN && !this.stopping; page++) {
				if (System.nanoTime() - leaseStart > this.lease.toNanos() / 2) {
					leaseStart = System.nanoTime();
					if (!renew(owner)) {
						logger.warn("Stopping the clean-up of lock table '" + this.store.getTableName()
								+ "': its lock was lost");
						break;
					}
				}
				Page read = readPage(statements, after);
				statementsSent++;
				if (!read.deletable().isEmpty()) {
					removed += delete(statements, read.deletable());
					statementsSent++;
				}
				if (read.last() == null) {
					after = START;
					break;
				}
				after = read.last();
			}
			this.resumeAfter = after;
		}
		catch (SQLException ex) {
			throw new LockStoreException("Failed to clean up lock table '" + this.store.getTableName() + "' (SQLState "
					+ ex.getSQLState() + "): " + ex.getMessage(), ex);
		}
		finally {
			this.rowsRemoved.addAndGet(removed);
			release(owner);
		}
		if (removed > 0) {
			logger.info("Removed " + removed + " row(s) of keys free for longer than " + this.retention
					+ " from lock table '" + this.store.getTableName() + "' (" + statementsSent + " statements)");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("No row of lock table '" + this.store.getTableName() + "' was free for longer than "
					+ this.retention + " (" + statementsSent + " statements)");
		}
		return OptionalLong.of(removed);
	}

	private boolean acquire(String owner) {
		LockRequest request = new LockRequest(LOCK_KEY, owner, this.lease, Duration.ZERO, false, this.store.timeout());
		AcquireResult result = join(() -> this.store.tryAcquire(request).toCompletableFuture().join());
		return result.isAcquired();
	}

	private boolean renew(String owner) {
		List<Boolean> renewed = join(() -> this.store.renew(List.of(new LeaseRenewal(LOCK_KEY, owner, this.lease)))
			.toCompletableFuture()
			.join());
		return renewed.get(0);
	}

	private void release(String owner) {
		try {
			join(() -> this.store.release(LOCK_KEY, owner).toCompletableFuture().join());
		}
		catch (LockStoreException ex) {
			logger.warn("Failed to release the clean-up lock of lock table '" + this.store.getTableName()
					+ "'; it expires in " + this.lease, ex);
		}
	}

	private static <T> T join(Supplier<T> call) {
		try {
			return call.get();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof LockStoreException failure) {
				throw failure;
			}
			throw ex;
		}
	}

	private Page readPage(Statements statements, String after) throws SQLException {
		LockStatement.CleanupArguments arguments = statements.arguments(List.of(), after);
		List<String> deletable = new ArrayList<>();
		String last = null;
		int rows = 0;
		try (Connection connection = this.store.connection(this.store.timeout());
				PreparedStatement prepared = connection.prepareStatement(statements.page.sql())) {
			statements.page.bind(prepared, arguments);
			try (ResultSet result = prepared.executeQuery()) {
				while (result.next()) {
					rows++;
					last = result.getString(1);
					if (result.getBoolean(2)) {
						deletable.add(last);
					}
				}
			}
			finish(connection);
		}
		return new Page(deletable, (rows < this.batchSize) ? null : last);
	}

	private int delete(Statements statements, List<String> ids) throws SQLException {
		LockStatement.CleanupArguments arguments = statements.arguments(ids, START);
		try (Connection connection = this.store.connection(this.store.timeout());
				PreparedStatement prepared = connection.prepareStatement(statements.delete.sql(ids.size()))) {
			statements.delete.bind(prepared, arguments);
			int deleted = prepared.executeUpdate();
			finish(connection);
			return deleted;
		}
	}

	private static void finish(Connection connection) throws SQLException {
		if (!connection.getAutoCommit()) {
			connection.commit();
		}
	}

	private Statements statements() {
		Statements statements = this.statements;
		if (statements == null) {
			statements = new Statements(this.store.dialect(), this.store.getTableName());
			this.statements = statements;
		}
		return statements;
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.executor != null) {
				return;
			}
			this.stopping = false;
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
				Thread thread = new Thread(runnable, "distributed-lock-jdbc-cleanup");
				thread.setDaemon(true);
				return thread;
			});
			executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
			long first = Math.min(FIRST_RUN_DELAY.toNanos(), this.interval.toNanos());
			executor.scheduleWithFixedDelay(this::runScheduled, first, this.interval.toNanos(), TimeUnit.NANOSECONDS);
			this.executor = executor;
		}
	}

	private void runScheduled() {
		try {
			cleanUp();
		}
		catch (RuntimeException ex) {
			logger.warn("Failed to clean up lock table '" + this.store.getTableName() + "'; trying again in "
					+ this.interval, ex);
		}
	}

	/**
	 * Stop the schedule and end its thread, after the page that is being cleaned up, if
	 * any (at most two statements, each bounded by the store's time-out).
	 */
	@Override
	public void stop() {
		ScheduledThreadPoolExecutor executor;
		synchronized (this.lifecycleMonitor) {
			executor = this.executor;
			if (executor == null) {
				return;
			}
			this.executor = null;
			this.stopping = true;
		}
		executor.shutdown();
		try {
			if (!executor.awaitTermination(this.store.timeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS)) {
				executor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			executor.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * Stop the schedule, as {@link #stop()}.
	 */
	@Override
	public void close() {
		stop();
	}

	/**
	 * The rows of one page that may be deleted, and the key after which the next page
	 * starts, or {@code null} at the end of the table.
	 */
	private record Page(List<String> deletable, @Nullable String last) {

	}

	/**
	 * The housekeeping statements of one database, read once.
	 */
	private final class Statements {

		private final LockStatement page;

		private final LockStatement delete;

		private final boolean idAsText;

		Statements(JdbcLockDialect dialect, String tableName) {
			this.page = LockStatement.load(dialect, "cleanup-page", tableName);
			this.delete = LockStatement.load(dialect, "cleanup-delete", tableName);
			this.idAsText = dialect == JdbcLockDialect.MYSQL;
		}

		LockStatement.CleanupArguments arguments(List<String> ids, String after) {
			long retentionMicros = TimeUnit.MICROSECONDS.convert(JdbcLockCleanup.this.retention);
			return new LockStatement.CleanupArguments(ids, after, retentionMicros, JdbcLockCleanup.this.batchSize,
					this.idAsText);
		}

	}

}
