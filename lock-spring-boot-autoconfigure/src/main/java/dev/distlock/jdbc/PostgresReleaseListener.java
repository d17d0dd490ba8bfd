package dev.distlock.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockWaiters;
import dev.distlock.core.WaitSubscription;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The one connection per {@link JdbcLockStore} that listens for releases on PostgreSQL,
 * with one daemon thread ({@code distributed-lock-jdbc-listener-N}) that owns it: opened
 * when the first waiter subscribes, closed when the store closes or after a minute
 * without waiters.
 * <p>
 * <b>Announced only to who waits.</b> For every key that waiters of this instance wait
 * for, the connection holds a shared advisory lock on the key's
 * {@link LockStatement#waitKey wait key}, taken before the waiter's subscription is ready
 * and given up once the key has no waiter here. A release ({@code release-notify.sql})
 * announces itself only if such a lock is held by some instance, so a release that nobody
 * waits for sends nothing. The announcement names the lock id and the releasing store,
 * which ignores its own (it wakes its local waiter itself).
 * <p>
 * <b>Without a thread per waiter.</b> The thread waits for notifications with
 * {@link PGConnection#getNotifications(int)} and wakes one local waiter of the key per
 * announcement. It calls the waiter directly: a waiter's callback never blocks (the
 * template's wake-up sends its attempt to the store's executor). The connection skips
 * pgjdbc's 1 ms look-ahead after each notification ({@link PgjdbcNotificationLatency}).
 * <p>
 * <b>Serving subscriptions.</b> A new subscription is ready once the thread has taken its
 * key's wait lock, between two waits for notifications. A wait lasts at most
 * {@value #WAIT_MILLIS} ms, and {@value #BUSY_WAIT_MILLIS} ms for a second after any
 * subscription changed: while waiters come and go (a lock handed back and forth between
 * instances) the next waiter is ready sooner, and a quiet listener wakes less often (each
 * wait that ends without a notification costs pgjdbc about 50 µs of CPU).
 * <p>
 * <b>Failures.</b> If the connection breaks (a database restart, a terminated backend)
 * the thread logs one WARN, reconnects with a backoff of up to
 * {@value #MAX_BACKOFF_MILLIS} ms, takes its locks again and wakes one waiter of every
 * key once (a release may have gone unheard meanwhile). Waiters keep their timed retries
 * throughout, so a lost announcement costs at most a poll interval.
 *
 * @author Distributed Lock team
 */
final class PostgresReleaseListener {

	private static final Log logger = LogFactory.getLog(JdbcLockStore.class);

	static final String THREAD_NAME_PREFIX = "distributed-lock-jdbc-listener-";

	private static final int WAIT_MILLIS = 10;

	private static final int BUSY_WAIT_MILLIS = 2;

	private static final long BUSY_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final long READY_TIMEOUT_MILLIS = 1000;

	private static final long MIN_BACKOFF_MILLIS = 100;

	private static final long MAX_BACKOFF_MILLIS = 5000;

	private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

	private static final long CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);

	private static final int NETWORK_TIMEOUT_MILLIS = 5000;

	private static final AtomicInteger threadCount = new AtomicInteger();

	private final DataSource dataSource;

	private final String tableName;

	private final String channel;

	private final String ownPrefix;

	private final LockWaiters waiters;

	private final ConcurrentHashMap<UUID, Interest> interests = new ConcurrentHashMap<>();

	/** Keys whose advisory lock may have to be taken or given up. */
	private final ConcurrentLinkedQueue<UUID> changed = new ConcurrentLinkedQueue<>();

	private final Object monitor = new Object();

	private @Nullable Thread thread;

	private boolean closed;

	private volatile int backendPid;

	/** When a subscription last changed ({@link System#nanoTime()}). */
	private volatile long lastChange = System.nanoTime() - BUSY_NANOS;

	// Owned by the listener thread

	private @Nullable Connection connection;

	private @Nullable PGConnection pgConnection;

	private volatile @Nullable PgjdbcNotificationLatency latency;

	private long backoffMillis = MIN_BACKOFF_MILLIS;

	private boolean outage;

	PostgresReleaseListener(DataSource dataSource, String tableName, String channel, String sender,
			LockWaiters waiters) {
		this.dataSource = dataSource;
		this.tableName = tableName;
		this.channel = channel;
		this.ownPrefix = sender + ":";
		this.waiters = waiters;
	}

	WaitSubscription subscribe(LockKey key, WaitSubscription local) {
		UUID id = key.id();
		CompletableFuture<Void> ready = new CompletableFuture<>();
		this.interests.compute(id, (k, interest) -> {
			Interest joined = (interest != null) ? interest : new Interest(key);
			joined.waiters++;
			if (joined.locked) {
				ready.complete(null);
			}
			else {
				joined.pending.add(ready);
			}
			return joined;
		});
		if (!ready.isDone()) {
			this.lastChange = System.nanoTime();
			this.changed.add(id);
			// A pool that is out of connections (or a database that does not answer) must
			// not hold the waiter's next attempt back: it then relies on timed retries.
			ready.completeOnTimeout(null, READY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
		}
		if (!start()) {
			ready.complete(null);
		}
		return new Subscription(id, local, ready);
	}

	/**
	 * Return the PostgreSQL process id of the listening connection, or 0 while there is
	 * none.
	 * @return the backend pid
	 */
	int backendPid() {
		return this.backendPid;
	}

	/**
	 * Return whether the listening connection skips pgjdbc's look-ahead after each
	 * notification ({@link PgjdbcNotificationLatency}).
	 * @return whether it does; {@code false} while there is no listening connection
	 */
	boolean skipsLookAhead() {
		return this.latency != null;
	}

	/**
	 * Return whether the listener thread runs.
	 * @return whether it runs
	 */
	boolean isRunning() {
		synchronized (this.monitor) {
			return this.thread != null;
		}
	}

	void close() {
		Thread running;
		synchronized (this.monitor) {
			this.closed = true;
			running = this.thread;
			this.monitor.notifyAll();
		}
		if (running != null && running != Thread.currentThread()) {
			try {
				running.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		readyAll();
	}

	private boolean start() {
		synchronized (this.monitor) {
			if (this.closed) {
				return false;
			}
			if (this.thread == null) {
				Thread started = new Thread(this::run, THREAD_NAME_PREFIX + threadCount.incrementAndGet());
				started.setDaemon(true);
				this.thread = started;
				started.start();
			}
			return true;
		}
	}

	private void run() {
		long lastActive = System.nanoTime();
		long lastCheck = System.nanoTime();
		try {
			while (!isClosed()) {
				if (this.interests.isEmpty()) {
					if (System.nanoTime() - lastActive > IDLE_NANOS && stopWhenIdle()) {
						return;
					}
				}
				else {
					lastActive = System.nanoTime();
				}
				try {
					if (this.connection == null) {
						connect();
					}
					updateLocks();
					PGConnection pg = this.pgConnection;
					PGNotification[] notifications = (pg != null) ? pg.getNotifications(waitMillis()) : null;
					if (notifications != null) {
						for (PGNotification notification : notifications) {
							dispatch(notification.getParameter());
						}
						lastCheck = System.nanoTime();
					}
					else if (System.nanoTime() - lastCheck > CHECK_NANOS) {
						// A connection that vanished without a word would otherwise look
						// like a quiet one.
						lastCheck = System.nanoTime();
						Connection current = this.connection;
						if (current != null && !current.isValid(NETWORK_TIMEOUT_MILLIS / 1000)) {
							throw new SQLException("The listening connection does not answer");
						}
					}
				}
				catch (SQLException | RuntimeException ex) {
					lost(ex);
				}
			}
		}
		finally {
			disconnect(true);
			synchronized (this.monitor) {
				if (this.thread == Thread.currentThread()) {
					this.thread = null;
				}
			}
		}
	}

	private int waitMillis() {
		return (System.nanoTime() - this.lastChange < BUSY_NANOS) ? BUSY_WAIT_MILLIS : WAIT_MILLIS;
	}

	private boolean isClosed() {
		synchronized (this.monitor) {
			return this.closed;
		}
	}

	/*
	 * End the thread if no waiter came in the meantime; the next waiter starts another.
	 */
	private boolean stopWhenIdle() {
		synchronized (this.monitor) {
			if (!this.interests.isEmpty()) {
				return false;
			}
			this.thread = null;
			return true;
		}
	}

	private void connect() throws SQLException {
		Connection opened = this.dataSource.getConnection();
		try {
			opened.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
			// Notifications are delivered only outside a transaction.
			opened.setAutoCommit(true);
			PGConnection pg = opened.unwrap(PGConnection.class);
			try (Statement statement = opened.createStatement()) {
				statement.execute("LISTEN \"" + this.channel + "\"");
			}
			this.connection = opened;
			this.pgConnection = pg;
			this.latency = PgjdbcNotificationLatency.shorten(pg);
			this.backendPid = pg.getBackendPID();
		}
		catch (SQLException | RuntimeException ex) {
			closeQuietly(opened);
			throw ex;
		}
		boolean recovered = this.outage;
		this.outage = false;
		this.backoffMillis = MIN_BACKOFF_MILLIS;
		// Every key waited for needs its lock on the new connection.
		this.interests.forEach((id, interest) -> {
			interest.locked = false;
			this.changed.add(id);
		});
		if (recovered) {
			logger.info("Listening again for releases of lock table '" + this.tableName + "' on channel '"
					+ this.channel + "'");
			// A release may have gone unheard while the connection was down.
			updateLocks();
			this.interests.values().forEach((interest) -> wake(interest.key));
		}
	}

	private void updateLocks() throws SQLException {
		List<UUID> retry = new ArrayList<>();
		for (UUID id = this.changed.poll(); id != null; id = this.changed.poll()) {
			Interest interest = this.interests.get(id);
			if (interest == null) {
				continue;
			}
			if (interest.waiters > 0 && !interest.locked) {
				if (!lock("pg_try_advisory_lock_shared", interest.key)) {
					// A release of the key is committing right now: try again in a
					// moment.
					retry.add(id);
					continue;
				}
				List<CompletableFuture<Void>> ready = new ArrayList<>();
				this.interests.computeIfPresent(id, (k, current) -> {
					current.locked = true;
					ready.addAll(current.pending);
					current.pending.clear();
					return current;
				});
				ready.forEach((future) -> future.complete(null));
			}
			else if (interest.waiters == 0) {
				if (interest.locked) {
					lock("pg_advisory_unlock_shared", interest.key);
				}
				AtomicBoolean rejoined = new AtomicBoolean();
				this.interests.computeIfPresent(id, (k, current) -> {
					current.locked = false;
					if (current.waiters > 0) {
						rejoined.set(true);
						return current;
					}
					return null;
				});
				if (rejoined.get()) {
					retry.add(id);
				}
			}
		}
		this.changed.addAll(retry);
	}

	private boolean lock(String function, LockKey key) throws SQLException {
		Connection current = this.connection;
		if (current == null) {
			return false;
		}
		try (PreparedStatement statement = current.prepareStatement("SELECT " + function + "(?)")) {
			statement.setLong(1, LockStatement.waitKey(key));
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
	}

	private void dispatch(@Nullable String payload) {
		if (payload == null || payload.startsWith(this.ownPrefix)) {
			return;
		}
		int separator = payload.indexOf(':');
		UUID id;
		try {
			id = UUID.fromString(payload.substring(separator + 1));
		}
		catch (IllegalArgumentException ex) {
			return;
		}
		Interest interest = this.interests.get(id);
		if (interest != null && interest.waiters > 0) {
			wake(interest.key);
		}
	}

	private void wake(LockKey key) {
		try {
			this.waiters.wakeOne(key);
		}
		catch (RuntimeException ex) {
			logger.debug("Waking a waiter for lock '" + key + "' failed", ex);
		}
	}

	private void lost(Exception ex) {
		disconnect(false);
		if (!this.outage) {
			this.outage = true;
			logger.warn("Lost the connection that listens for releases of lock table '" + this.tableName
					+ "'; waiters retry at their poll interval until it is back: " + ex.getMessage());
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Listening for releases of lock table '" + this.tableName + "' failed again", ex);
		}
		// Waiters that wait for their subscription go ahead and rely on timed retries.
		readyAll();
		synchronized (this.monitor) {
			if (!this.closed) {
				try {
					this.monitor.wait(this.backoffMillis);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					this.closed = true;
				}
			}
		}
		this.backoffMillis = Math.min(this.backoffMillis * 2, MAX_BACKOFF_MILLIS);
	}

	private void readyAll() {
		this.interests.forEach((id, interest) -> {
			List<CompletableFuture<Void>> ready = new ArrayList<>();
			this.interests.computeIfPresent(id, (k, current) -> {
				ready.addAll(current.pending);
				current.pending.clear();
				return current;
			});
			ready.forEach((future) -> future.complete(null));
		});
	}

	/*
	 * Give the connection back: cleaned of its locks and its channel if it still works,
	 * so that the pool can hand it out again.
	 */
	private void disconnect(boolean clean) {
		Connection current = this.connection;
		this.connection = null;
		this.pgConnection = null;
		this.backendPid = 0;
		this.interests.values().forEach((interest) -> interest.locked = false);
		PgjdbcNotificationLatency changed = this.latency;
		this.latency = null;
		if (changed != null) {
			changed.restore();
		}
		if (current == null) {
			return;
		}
		if (clean) {
			try (Statement statement = current.createStatement()) {
				statement.execute("UNLISTEN *");
				statement.execute("SELECT pg_advisory_unlock_all()");
			}
			catch (SQLException ex) {
				// Broken already: the pool will discard it.
			}
		}
		closeQuietly(current);
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// Nothing left to do with it.
		}
	}

	/**
	 * What this instance waits for on one key. {@code waiters} and {@code pending} change
	 * only inside the map's {@code compute}; {@code locked} is set by the listener
	 * thread.
	 */
	private static final class Interest {

		private final LockKey key;

		private volatile int waiters;

		private volatile boolean locked;

		private final List<CompletableFuture<Void>> pending = new ArrayList<>();

		Interest(LockKey key) {
			this.key = key;
		}

	}

	private final class Subscription implements WaitSubscription {

		private final UUID id;

		private final WaitSubscription local;

		private final CompletableFuture<Void> ready;

		private final AtomicBoolean closed = new AtomicBoolean();

		Subscription(UUID id, WaitSubscription local, CompletableFuture<Void> ready) {
			this.id = id;
			this.local = local;
			this.ready = ready;
		}

		@Override
		public CompletionStage<Void> ready() {
			return this.ready;
		}

		@Override
		public void close() {
			if (!this.closed.compareAndSet(false, true)) {
				return;
			}
			this.local.close();
			AtomicBoolean last = new AtomicBoolean();
			PostgresReleaseListener.this.interests.computeIfPresent(this.id, (k, interest) -> {
				interest.waiters--;
				last.set(interest.waiters == 0);
				return interest;
			});
			if (last.get()) {
				PostgresReleaseListener.this.lastChange = System.nanoTime();
				PostgresReleaseListener.this.changed.add(this.id);
			}
		}

	}

}
