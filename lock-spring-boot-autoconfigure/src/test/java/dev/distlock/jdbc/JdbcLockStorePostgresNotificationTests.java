package dev.distlock.jdbc;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariDataSource;
import dev.distlock.core.AcquireResult;
import dev.distlock.core.HandOverResult;
import dev.distlock.core.HotKeyTurns;
import dev.distlock.core.Lease;
import dev.distlock.core.LeaseRenewal;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockTemplate;
import dev.distlock.core.LockWaitListener;
import dev.distlock.core.WaitSubscription;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.core.BaseConnection;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Releases on PostgreSQL wake waiters of other instances through {@code LISTEN/NOTIFY}:
 * promptly (the waiters' poll interval is set to 30 s, so only the notification can
 * explain a prompt wake), on one connection per store however many wait, only when
 * somebody waits, again after the listening connection was killed, and not after the
 * store closed.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class JdbcLockStorePostgresNotificationTests {

	private static final Log logger = LogFactory.getLog(JdbcLockStorePostgresNotificationTests.class);

	private static final Duration LONG_POLL = Duration.ofSeconds(30);

	private static final Duration PROMPT = Duration.ofSeconds(2);

	private final String namespace = "notify-" + UUID.randomUUID();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private HikariDataSource dataSourceA;

	private HikariDataSource dataSourceB;

	private String tableName;

	private JdbcLockStore storeA;

	private JdbcLockStore storeB;

	@BeforeEach
	void createStores() {
		this.dataSourceA = TestDatabases.pool(TestDatabases.postgresUrl(), 10, (config) -> {
		});
		this.dataSourceB = TestDatabases.pool(TestDatabases.postgresUrl(), 10, (config) -> {
		});
		this.tableName = TestDatabases.uniqueTableName();
		JdbcLockSchema.createTable(this.dataSourceA, this.tableName);
		this.storeA = new JdbcLockStore(this.dataSourceA, this.tableName);
		this.storeB = new JdbcLockStore(this.dataSourceB, this.tableName);
	}

	@AfterEach
	void closeStores() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		this.storeA.close();
		this.storeB.close();
		TestDatabases.dropTable(this.dataSourceA, this.tableName);
		this.dataSourceA.close();
		this.dataSourceB.close();
	}

	@Test
	void releaseOnOneInstanceWakesAWaiterOnAnotherWellBeforeThePollInterval() throws Exception {
		LockTemplate waiting = template(this.storeB);
		List<Long> handOffs = new ArrayList<>();
		for (int round = 0; round < 20; round++) {
			LockKey key = key("hand-off", round);
			assertThat(acquire(this.storeA, key, "holder")).isTrue();
			CompletableFuture<Optional<Lease>> waiter = waiting.tryAcquireAsync(key, waitFor(Duration.ofSeconds(20)));
			awaitListening(key);
			long released = System.nanoTime();
			assertThat(this.storeA.release(key, "holder").toCompletableFuture().join()).isTrue();
			Optional<Lease> lease = waiter.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
			handOffs.add(System.nanoTime() - released);
			assertThat(lease).isPresent();
			lease.get().close();
		}
		long[] sorted = handOffs.stream().mapToLong(Long::longValue).sorted().toArray();
		logger.info(String.format("PostgreSQL hand-off to another instance over %d rounds: mean %.2f ms, max %.2f ms",
				sorted.length, Arrays.stream(sorted).average().orElse(0) / 1e6, sorted[sorted.length - 1] / 1e6));
		assertThat(Duration.ofNanos(sorted[sorted.length - 1])).isLessThan(PROMPT);
	}

	@Test
	void hundredWaitersShareOneListeningConnection() throws Exception {
		LockTemplate waiting = template(this.storeB);
		List<LockKey> keys = new ArrayList<>();
		for (int k = 0; k < 10; k++) {
			LockKey key = key("many", k);
			keys.add(key);
			assertThat(acquire(this.storeA, key, "holder")).isTrue();
		}
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			waiters.add(waiting.executeAsync(keys.get(i % keys.size()), waitFor(Duration.ofSeconds(60)),
					() -> CompletableFuture.completedFuture(null)));
		}
		keys.forEach(this::awaitListening);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.dataSourceB.getHikariPoolMXBean().getActiveConnections())
				.as("connections of instance B held while 100 callers wait")
				.isOne());
		Set<Integer> pids = new HashSet<>();
		for (LockKey key : keys) {
			pids.addAll(listeningPids(key));
		}
		assertThat(pids).as("listening connections for 10 keys").hasSize(1);
		for (LockKey key : keys) {
			assertThat(this.storeA.release(key, "holder").toCompletableFuture().join()).isTrue();
		}
		CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
	}

	@Test
	void releaseThatNobodyWaitsForSendsNoNotification() throws Exception {
		String channel = JdbcReleaseNotifications.channelName(this.tableName);
		try (Connection listening = this.dataSourceA.getConnection()) {
			try (Statement statement = listening.createStatement()) {
				statement.execute("LISTEN \"" + channel + "\"");
			}
			PGConnection pg = listening.unwrap(PGConnection.class);
			LockKey key = key("nobody-waits");
			assertThat(acquire(this.storeA, key, "holder")).isTrue();
			assertThat(this.storeA.release(key, "holder").toCompletableFuture().join()).isTrue();
			assertThat(notifications(pg, 300)).as("notifications without waiters").isEmpty();

			assertThat(acquire(this.storeA, key, "holder")).isTrue();
			LockTemplate waiting = template(this.storeB);
			CompletableFuture<Optional<Lease>> waiter = waiting.tryAcquireAsync(key, waitFor(Duration.ofSeconds(20)));
			awaitListening(key);
			assertThat(this.storeA.release(key, "holder").toCompletableFuture().join()).isTrue();
			assertThat(notifications(pg, 2000)).as("notifications with a waiter")
				.singleElement()
				.satisfies((payload) -> assertThat(payload).endsWith(":" + key.id()));
			waiter.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow().close();
		}
	}

	@Test
	void forceReleaseWakesAWaiterOnAnotherInstance() throws Exception {
		LockKey key = key("forced");
		assertThat(acquire(this.storeA, key, "stuck")).isTrue();
		CompletableFuture<Optional<Lease>> waiter = template(this.storeB).tryAcquireAsync(key,
				waitFor(Duration.ofSeconds(20)));
		awaitListening(key);
		assertThat(this.storeA.forceRelease(key).toCompletableFuture().join()).isTrue();
		waiter.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow().close();
	}

	@Test
	void listenerReconnectsAfterItsConnectionIsTerminated() throws Exception {
		LockKey key = key("terminated");
		assertThat(acquire(this.storeA, key, "holder")).isTrue();
		LockTemplate waiting = template(this.storeB);
		CompletableFuture<Optional<Lease>> waiter = waiting.tryAcquireAsync(key, waitFor(Duration.ofSeconds(60)));
		awaitListening(key);
		int first = listeningPids(key).iterator().next();
		TestDatabases.execute(this.dataSourceA, "SELECT pg_terminate_backend(" + first + ")");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(listeningPids(key)).hasSize(1).doesNotContain(first));
		long released = System.nanoTime();
		assertThat(this.storeA.release(key, "holder").toCompletableFuture().join()).isTrue();
		waiter.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow().close();
		assertThat(Duration.ofNanos(System.nanoTime() - released)).isLessThan(PROMPT);
	}

	@Test
	void closingTheStoreEndsItsListenerThreadAndConnection() throws Exception {
		Set<String> before = listenerThreads();
		LockKey key = key("closing");
		assertThat(acquire(this.storeA, key, "holder")).isTrue();
		CompletableFuture<Optional<Lease>> waiter = template(this.storeB).tryAcquireAsync(key,
				waitFor(Duration.ofSeconds(60)));
		awaitListening(key);
		int pid = listeningPids(key).iterator().next();
		Set<String> started = listenerThreads();
		started.removeAll(before);
		assertThat(started).as("listener threads started for one store").hasSize(1);
		this.storeB.close();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(listenerThreads()).doesNotContainAnyElementsOf(started);
			assertThat(listeningPids(key)).doesNotContain(pid);
			assertThat(this.dataSourceB.getHikariPoolMXBean().getActiveConnections())
				.as("connections of instance B in use")
				.isZero();
		});
		waiter.cancel(true);
	}

	@Test
	void listeningConnectionSkipsTheDriversLookAheadAndGoesBackToThePoolAsItCame() throws Exception {
		LockKey key = key("look-ahead");
		assertThat(acquire(this.storeA, key, "holder")).isTrue();
		CompletableFuture<Optional<Lease>> waiter = template(this.storeB).tryAcquireAsync(key,
				waitFor(Duration.ofSeconds(60)));
		awaitListening(key);
		PostgresReleaseListener listener = this.storeB.releaseListener();
		assertThat(listener).isNotNull();
		assertThat(listener.skipsLookAhead()).isTrue();
		assertThat(this.storeA.release(key, "holder").toCompletableFuture().join()).isTrue();
		waiter.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow().close();
		this.storeB.close();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.dataSourceB.getHikariPoolMXBean().getActiveConnections()).isZero());
		assertThat(listener.skipsLookAhead()).isFalse();
		List<Connection> borrowed = new ArrayList<>();
		try {
			for (int i = 0; i < this.dataSourceB.getMaximumPoolSize(); i++) {
				borrowed.add(this.dataSourceB.getConnection());
			}
			for (Connection connection : borrowed) {
				assertThat(lookAheadCheckTime(connection)).as("pgjdbc's look-ahead time of a pooled connection")
					.isNotEqualTo(Long.MAX_VALUE);
			}
		}
		finally {
			for (Connection connection : borrowed) {
				connection.close();
			}
		}
	}

	@Test
	void connectionThatIsNotTheDriversOwnIsLeftAsItIs() {
		PGConnection foreign = (PGConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { PGConnection.class }, (proxy, method, args) -> {
					throw new UnsupportedOperationException(method.getName());
				});
		assertThat(PgjdbcNotificationLatency.shorten(foreign)).isNull();
	}

	private static long lookAheadCheckTime(Connection connection) throws Exception {
		Object executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
		Field stream = ReflectionUtils.findField(executor.getClass(), PgjdbcNotificationLatency.STREAM_FIELD);
		assertThat(stream).isNotNull();
		ReflectionUtils.makeAccessible(stream);
		Object pgStream = stream.get(executor);
		Field checkTime = ReflectionUtils.findField(pgStream.getClass(), PgjdbcNotificationLatency.CHECK_TIME_FIELD);
		assertThat(checkTime).isNotNull();
		ReflectionUtils.makeAccessible(checkTime);
		return checkTime.getLong(pgStream);
	}

	@Test
	void channelNamesFitPostgresIdentifiers() {
		assertThat(JdbcReleaseNotifications.channelName("Locks.Distributed_Lock"))
			.isEqualTo("locks_distributed_lock_released");
		String longName = "s".repeat(30) + "." + "t".repeat(60);
		String channel = JdbcReleaseNotifications.channelName(longName);
		assertThat(channel).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9_]+");
		assertThat(channel).isNotEqualTo(JdbcReleaseNotifications.channelName(longName + "x"));
	}

	@Test
	void instancesTakeTurnsOnAHotKeyInsteadOfOneKeepingItWithinItself() throws Exception {
		// The poll interval is 30 s: only a release that yields to the other instance's
		// waiters, and its notification, let them in while this instance's own waiters
		// keep handing the lock over among themselves.
		LockKey key = key("hot");
		LockOptions waiting = waitFor(Duration.ofSeconds(30));
		int holdsEach = 30;
		List<Integer> holders = HotKeyTurns.holders(List.of(template(this.storeA), template(this.storeB)), key, waiting,
				holdsEach, Duration.ofMinutes(2));
		int longestRun = HotKeyTurns.longestRun(holders, 4 * holdsEach);
		int changes = HotKeyTurns.changes(holders, 4 * holdsEach);
		// Without yielding, the first instance to hold the key would keep it for all its
		// holds (about 1 change). With it, an instance keeps the lock through four
		// hand-overs in a row while the other waits, and a few more when the other was
		// between two waits or its woken waiter missed the yield's window: on a loaded
		// machine, runs of up to 17 were seen, with still 43 changes or more.
		assertThat(changes).as("changes of instance in " + holders).isGreaterThanOrEqualTo(holdsEach);
		assertThat(longestRun).as("longest run of holds by one instance in " + holders).isLessThanOrEqualTo(30);
	}

	private LockKey key(Object... parts) {
		return LockKey.of(this.namespace, parts);
	}

	private static LockOptions waitFor(Duration wait) {
		return LockOptions.builder().waitTime(wait).leaseTime(Duration.ofSeconds(30)).autoRenew(false).build();
	}

	private LockTemplate template(LockStore store) {
		LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();
		this.closeables.add(scheduler);
		return LockTemplate.builder(new LongPollStore(store))
			.settings(LockSettings.defaults())
			.scheduler(scheduler)
			.build();
	}

	private static boolean acquire(LockStore store, LockKey key, String owner) {
		AcquireResult result = store
			.tryAcquire(
					new LockRequest(key, owner, Duration.ofSeconds(60), Duration.ZERO, false, Duration.ofSeconds(5)))
			.toCompletableFuture()
			.join();
		return result.isAcquired();
	}

	/**
	 * Wait until some listening connection holds the key's wait lock: from then on a
	 * release of the key is announced.
	 */
	private void awaitListening(LockKey key) {
		await().atMost(Duration.ofSeconds(10)).until(() -> !listeningPids(key).isEmpty());
	}

	private Set<Integer> listeningPids(LockKey key) throws SQLException {
		long waitKey = LockStatement.waitKey(key);
		return pids("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
				+ "AND CAST(classid AS bigint) = " + (waitKey >>> 32) + " AND CAST(objid AS bigint) = "
				+ (waitKey & 0xFFFFFFFFL));
	}

	private Set<Integer> pids(String sql) throws SQLException {
		try (Connection connection = this.dataSourceA.getConnection();
				PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet result = statement.executeQuery()) {
			Set<Integer> pids = new HashSet<>();
			while (result.next()) {
				pids.add(result.getInt(1));
			}
			return pids;
		}
	}

	private static List<String> notifications(PGConnection pg, int waitMillis) throws SQLException {
		List<String> payloads = new ArrayList<>();
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
		while (System.nanoTime() < deadline) {
			PGNotification[] received = pg.getNotifications(50);
			if (received != null) {
				Arrays.stream(received).map(PGNotification::getParameter).forEach(payloads::add);
			}
		}
		return payloads;
	}

	private static Set<String> listenerThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive()
					&& thread.getName().startsWith(PostgresReleaseListener.THREAD_NAME_PREFIX))
			.map(Thread::getName)
			.collect(Collectors.toSet());
	}

	/**
	 * A store as it is, except that waiters retry only every 30 seconds when nothing
	 * wakes them.
	 */
	private static final class LongPollStore implements LockStore {

		private final LockStore store;

		LongPollStore(LockStore store) {
			this.store = store;
		}

		@Override
		public String storeName() {
			return this.store.storeName();
		}

		@Override
		public CompletionStage<AcquireResult> tryAcquire(LockRequest request) {
			return this.store.tryAcquire(request);
		}

		@Override
		public CompletionStage<Boolean> release(LockKey key, String owner) {
			return this.store.release(key, owner);
		}

		@Override
		public CompletionStage<HandOverResult> handOver(LockKey key, String owner, LockRequest next,
				boolean yieldToOthers) {
			return this.store.handOver(key, owner, next, yieldToOthers);
		}

		@Override
		public CompletionStage<Boolean> abandon(LockRequest request) {
			return this.store.abandon(request);
		}

		@Override
		public CompletionStage<List<Boolean>> renew(List<LeaseRenewal> renewals) {
			return this.store.renew(renewals);
		}

		@Override
		public CompletionStage<Boolean> forceRelease(LockKey key) {
			return this.store.forceRelease(key);
		}

		@Override
		public WaitSubscription subscribe(LockKey key, String owner, Runnable onRelease) {
			return this.store.subscribe(key, owner, onRelease);
		}

		@Override
		public WaitSubscription subscribe(LockKey key, String owner, LockWaitListener listener) {
			return this.store.subscribe(key, owner, listener);
		}

		@Override
		public Duration pollInterval() {
			return LONG_POLL;
		}

		@Override
		public Executor blockingExecutor() {
			return this.store.blockingExecutor();
		}

		@Override
		public void checkAvailability() {
			this.store.checkAvailability();
		}

	}

}
