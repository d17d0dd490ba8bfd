package dev.distlock.benchmarks.compare;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The JDBC floor and the JDBC peers, on PostgreSQL or MariaDB. Every node has its own
 * HikariCP pool of the same size, whoever uses it. Tables are this benchmark's own
 * ({@code bench_*}); they are created if missing and never dropped.
 *
 * @author Distributed Lock team
 */
final class JdbcContenders {

	private static final String SPRING_INTEGRATION_PREFIX = "BENCH_INT_";

	private static final String FAIR_REFERENCE_ROW = "fair-reference";

	private JdbcContenders() {
	}

	static List<Contender> create(BenchSettings settings, Contender.Store store) {
		String url = url(settings, store);
		Duration lease = settings.leaseTime();
		Duration retry = settings.retryInterval();
		String retryLabel = "retry loop every " + retry.toMillis() + " ms";
		int pool = settings.poolSize();
		List<Contender> contenders = new ArrayList<>(List.of(
				new Contender("floor: one upsert + one delete", "floor", store, Contender.Role.FLOOR, retryLabel,
						() -> new Floor(dataSource(url, pool, "floor"), store, lease, retry)),
				new Contender("Spring Integration JdbcLockRegistry", "SI", store, Contender.Role.PEER,
						"polls, default 100 ms between tries",
						() -> new SpringIntegrationNode(dataSource(url, pool, "si"), lease)),
				new Contender("ShedLock JdbcTemplateLockProvider (usingDbTime)", "ShedLock", store, Contender.Role.PEER,
						retryLabel + " (no blocking acquire)",
						() -> new ShedLockNode(dataSource(url, pool, "shedlock"), lease, retry))));
		Map<String, ReentrantLock> fairLocks = FairReference.sharedLocks();
		contenders.add(new Contender(FairReference.NAME, "fair JVM", store, Contender.Role.REFERENCE,
				"in arrival order, woken by the JVM", () -> {
					HikariDataSource dataSource = dataSource(url, 1, "fair");
					// A hand-off of a JDBC lock commits a write: so does this one, to
					// a row of the floor's table that no lock uses.
					try (Connection connection = dataSource.getConnection();
							PreparedStatement statement = connection
								.prepareStatement(Resources.read("floor-acquire-" + dialect(store) + ".sql"))) {
						statement.setString(1, FAIR_REFERENCE_ROW);
						statement.setString(2, UUID.randomUUID().toString());
						statement.setLong(3, 0);
						statement.execute();
					}
					return new FairReference(fairLocks, new FairReference.RoundTrip() {

						@Override
						public void run() throws SQLException {
							try (Connection connection = dataSource.getConnection();
									PreparedStatement statement = connection
										.prepareStatement("UPDATE bench_floor_lock SET owner = ? WHERE lock_key = ?")) {
								statement.setString(1, UUID.randomUUID().toString());
								statement.setString(2, FAIR_REFERENCE_ROW);
								statement.executeUpdate();
							}
						}

						@Override
						public void close() {
							dataSource.close();
						}

					});
				}, EnumSet.of(Scenario.Kind.CONTENDED)));
		if (store == Contender.Store.POSTGRESQL) {
			Map<String, AtomicBoolean> flags = new ConcurrentHashMap<>();
			contenders.add(new Contender("reference: LISTEN/NOTIFY alone, no lock row", "NOTIFY", store,
					Contender.Role.REFERENCE, "the release's NOTIFY, nothing else",
					() -> new NotifyOnlyNode(url, flags), EnumSet.of(Scenario.Kind.HANDOFF)));
		}
		return List.copyOf(contenders);
	}

	static String url(BenchSettings settings, Contender.Store store) {
		return switch (store) {
			case POSTGRESQL -> settings.postgresUrl();
			case MARIADB -> settings.mariadbUrl();
			case REDIS -> throw new IllegalArgumentException("Not a JDBC store: " + store);
		};
	}

	/**
	 * Create the tables the floor and the peers need, if missing, and clear rows left by
	 * an earlier, interrupted run (from these tables only: they are this benchmark's
	 * own).
	 * @param settings the settings
	 * @param store the database
	 * @throws SQLException if the database refused
	 */
	static void prepare(BenchSettings settings, Contender.Store store) throws SQLException {
		String dialect = dialect(store);
		try (HikariDataSource dataSource = dataSource(url(settings, store), 2, "setup");
				Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute(Resources.read("floor-schema-" + dialect + ".sql"));
			statement.execute(Resources.read("shedlock-schema-" + dialect + ".sql"));
			statement.execute(springIntegrationLockTable(dialect));
			statement.execute("DELETE FROM bench_floor_lock");
			statement.execute("DELETE FROM bench_shedlock");
			statement.execute("DELETE FROM " + SPRING_INTEGRATION_PREFIX + "LOCK");
			OurContenders.prepareJdbc(dataSource);
		}
	}

	/*
	 * Spring Integration's own DDL for its lock table, taken from its jar so that it
	 * always matches the version under test, with this benchmark's table prefix.
	 */
	private static String springIntegrationLockTable(String dialect) {
		String script = Resources.read(JdbcLockRegistry.class.getClassLoader(),
				"org/springframework/integration/jdbc/schema-" + dialect + ".sql");
		for (String statement : script.split(";")) {
			if (statement.contains("CREATE TABLE INT_LOCK")) {
				return statement.strip()
					.replace("CREATE TABLE INT_LOCK",
							"CREATE TABLE IF NOT EXISTS " + SPRING_INTEGRATION_PREFIX + "LOCK")
					.replace("INT_LOCK_PK", SPRING_INTEGRATION_PREFIX + "LOCK_PK");
			}
		}
		throw new IllegalStateException("No INT_LOCK table in Spring Integration's schema-" + dialect + ".sql");
	}

	static String dialect(Contender.Store store) {
		return (store == Contender.Store.POSTGRESQL) ? "postgresql" : "mysql";
	}

	/**
	 * Create one node's connection pool. Every contender gets the same size.
	 * @param url the JDBC URL
	 * @param size the pool size
	 * @param name the pool's name, for its threads
	 * @return the pool; close it to disconnect
	 */
	static HikariDataSource dataSource(String url, int size, String name) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setMaximumPoolSize(size);
		config.setMinimumIdle(size);
		config.setPoolName("bench-" + name);
		HikariDataSource dataSource = new HikariDataSource(config);
		fill(dataSource, size);
		return dataSource;
	}

	/*
	 * Open every connection of a new pool before the pool is used. Hikari opens them one
	 * at a time in the background; on a busy machine the last of 16 came up to a second
	 * later, longer than a cell's warm-up, so that the first measured cycles of a node
	 * waited for connections (seen as borrow waits in JFR), at random for every
	 * contender.
	 */
	private static void fill(HikariDataSource dataSource, int size) {
		List<Connection> borrowed = new ArrayList<>(size);
		try {
			for (int i = 0; i < size; i++) {
				borrowed.add(dataSource.getConnection());
			}
		}
		catch (SQLException ex) {
			dataSource.close();
			throw new IllegalStateException(
					"Could not open the " + size + " connections of pool " + dataSource.getPoolName(), ex);
		}
		finally {
			for (Connection connection : borrowed) {
				try {
					connection.close();
				}
				catch (SQLException ex) {
					// Returned to the pool, which evicts it if it is broken.
				}
			}
		}
	}

	/**
	 * What PostgreSQL's LISTEN/NOTIFY costs a hand-off by itself, without any lock row:
	 * the lock is an in-JVM flag shared by the nodes, and a waiter tries to take it only
	 * when the notification of a release reached the waiter's listening connection. A
	 * release frees the flag and sends the {@code NOTIFY} (autocommit). A LISTEN/NOTIFY
	 * hand-off of a real lock takes at least this, plus the waiter's acquire statement.
	 * Not a lock across processes: a reference for the hand-off scenario only.
	 */
	static final class NotifyOnlyNode implements LockClient {

		private static final String CHANNEL = "bench_notify_only";

		private final Map<String, AtomicBoolean> flags;

		private final Connection listening;

		private final Connection notifying;

		private final Object monitor = new Object();

		private final Thread listener;

		private long notifications;

		private volatile boolean closed;

		NotifyOnlyNode(String url, Map<String, AtomicBoolean> flags) throws SQLException {
			this.flags = flags;
			this.listening = DriverManager.getConnection(url);
			this.notifying = DriverManager.getConnection(url);
			try (Statement statement = this.listening.createStatement()) {
				statement.execute("LISTEN " + CHANNEL);
			}
			PGConnection pg = this.listening.unwrap(PGConnection.class);
			this.listener = new Thread(() -> {
				try {
					while (!this.closed) {
						PGNotification[] received = pg.getNotifications(50);
						if (received != null && received.length > 0) {
							synchronized (this.monitor) {
								this.notifications += received.length;
								this.monitor.notifyAll();
							}
						}
					}
				}
				catch (SQLException ex) {
					// Closed.
				}
			}, "bench-notify-listener");
			this.listener.setDaemon(true);
			this.listener.start();
		}

		@Override
		public @Nullable Held tryAcquire(String key, Duration waitTime) throws InterruptedException {
			AtomicBoolean flag = this.flags.computeIfAbsent(key, (k) -> new AtomicBoolean());
			long deadline = System.nanoTime() + waitTime.toNanos();
			synchronized (this.monitor) {
				while (!flag.compareAndSet(false, true)) {
					long seen = this.notifications;
					while (this.notifications == seen) {
						long remaining = deadline - System.nanoTime();
						if (remaining <= 0) {
							return null;
						}
						TimeUnit.NANOSECONDS.timedWait(this.monitor, remaining);
					}
				}
			}
			// Freed before the NOTIFY: a waiter tries again only once a notification
			// came.
			return () -> {
				flag.set(false);
				try (Statement statement = this.notifying.createStatement()) {
					statement.execute("NOTIFY " + CHANNEL);
				}
			};
		}

		@Override
		public void close() {
			this.closed = true;
			try {
				this.listener.join(1000);
				this.listening.close();
				this.notifying.close();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Closing the NOTIFY reference's connections failed", ex);
			}
		}

	}

	/**
	 * The floor: one upsert that takes a free or expired row, one delete matched on the
	 * owner; autocommit, plain JDBC.
	 */
	static final class Floor extends RetryingLockClient {

		private final HikariDataSource dataSource;

		private final boolean returning;

		private final String acquireSql;

		private final String releaseSql;

		private final long leaseMicros;

		Floor(HikariDataSource dataSource, Contender.Store store, Duration lease, Duration retry) {
			super(retry);
			this.dataSource = dataSource;
			// MariaDB reports a found-but-unchanged row as one row, like an insert: the
			// owner that the upsert left in place tells whether it was ours.
			this.returning = store == Contender.Store.MARIADB;
			this.acquireSql = Resources.read("floor-acquire-" + dialect(store) + ".sql");
			this.releaseSql = Resources.read("floor-release.sql");
			this.leaseMicros = TimeUnit.NANOSECONDS.toMicros(lease.toNanos());
		}

		@Override
		@Nullable Held attempt(String key) throws SQLException {
			String owner = UUID.randomUUID().toString();
			boolean acquired;
			try (Connection connection = this.dataSource.getConnection();
					PreparedStatement statement = connection.prepareStatement(this.acquireSql)) {
				statement.setString(1, key);
				statement.setString(2, owner);
				statement.setLong(3, this.leaseMicros);
				if (this.returning) {
					try (ResultSet result = statement.executeQuery()) {
						acquired = result.next() && owner.equals(result.getString(1));
					}
				}
				else {
					acquired = statement.executeUpdate() == 1;
				}
			}
			if (!acquired) {
				return null;
			}
			return () -> {
				try (Connection connection = this.dataSource.getConnection();
						PreparedStatement statement = connection.prepareStatement(this.releaseSql)) {
					statement.setString(1, key);
					statement.setString(2, owner);
					if (statement.executeUpdate() != 1) {
						throw new IllegalStateException("Floor lock '" + key + "' was not held at release");
					}
				}
			};
		}

		@Override
		public void close() {
			this.dataSource.close();
		}

	}

	static final class SpringIntegrationNode implements LockClient {

		private final HikariDataSource dataSource;

		private final DefaultLockRepository repository;

		private final JdbcLockRegistry registry;

		private final Duration lease;

		SpringIntegrationNode(HikariDataSource dataSource, Duration lease) {
			this.dataSource = dataSource;
			this.repository = new DefaultLockRepository(dataSource);
			this.repository.setPrefix(SPRING_INTEGRATION_PREFIX);
			this.repository.setRegion("bench");
			this.repository.setTransactionManager(new DataSourceTransactionManager(dataSource));
			this.repository.afterPropertiesSet();
			this.repository.afterSingletonsInstantiated();
			this.repository.start();
			this.registry = new JdbcLockRegistry(this.repository, lease);
			this.lease = lease;
		}

		@Override
		public @Nullable Held tryAcquire(String key, Duration waitTime) throws InterruptedException {
			return SpringIntegrationLocks.tryAcquire(this.registry.obtain(key), waitTime, this.lease);
		}

		@Override
		public void close() {
			this.repository.stop();
			this.repository.close();
			this.dataSource.close();
		}

	}

	static final class ShedLockNode extends RetryingLockClient {

		private final HikariDataSource dataSource;

		private final JdbcTemplateLockProvider provider;

		private final Duration lease;

		ShedLockNode(HikariDataSource dataSource, Duration lease, Duration retry) {
			super(retry);
			this.dataSource = dataSource;
			this.provider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
				.withJdbcTemplate(new JdbcTemplate(dataSource))
				.withTableName("bench_shedlock")
				.usingDbTime()
				.build());
			this.lease = lease;
		}

		@Override
		@Nullable Held attempt(String key) {
			Optional<SimpleLock> lock = this.provider
				.lock(new LockConfiguration(Instant.now(), key, this.lease, Duration.ZERO));
			return lock.<Held>map((held) -> held::unlock).orElse(null);
		}

		@Override
		public void close() {
			this.dataSource.close();
		}

	}

}
