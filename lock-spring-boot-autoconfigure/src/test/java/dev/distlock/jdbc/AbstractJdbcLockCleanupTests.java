package dev.distlock.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.distlock.core.Lease;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Housekeeping of the JDBC lock table ({@link JdbcLockCleanup}) on one real database per
 * subclass, in a table of its own.
 *
 * @author Distributed Lock team
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractJdbcLockCleanupTests {

	private static final Duration LONG_LEASE = Duration.ofSeconds(60);

	private static HikariDataSource dataSource;

	private static String tableName;

	private final String namespace = "cleanup-" + System.nanoTime();

	/**
	 * Return the JDBC URL of the database under test.
	 * @return the JDBC URL
	 */
	protected abstract String jdbcUrl();

	@BeforeAll
	void createTable() {
		dataSource = TestDatabases.pool(jdbcUrl(), 24, (config) -> {
		});
		tableName = TestDatabases.uniqueTableName();
		JdbcLockSchema.createTable(dataSource, tableName);
	}

	@AfterAll
	void dropTable() {
		if (dataSource != null) {
			TestDatabases.dropTable(dataSource, tableName);
			dataSource.close();
			dataSource = null;
		}
	}

	@Test
	void removesOnlyRowsFreeLongerThanTheRetentionInPagesWhileSixteenThreadsLockOtherKeys() throws Exception {
		JdbcLockStore store = new JdbcLockStore(dataSource, tableName);
		// Longer than the run can take on a loaded machine, so that the recent rows stay.
		Duration retention = Duration.ofSeconds(3);
		for (int i = 0; i < 230; i++) {
			acquireAndRelease(store, key("old", i));
		}
		for (int i = 0; i < 3; i++) {
			// A holder that vanished: its lease expired, it never released.
			acquire(store, key("crashed", i), "vanished", Duration.ofMillis(200));
		}
		for (int i = 0; i < 5; i++) {
			acquire(store, key("held", i), "holder", LONG_LEASE);
		}
		Thread.sleep(retention.toMillis() + 300);
		for (int i = 0; i < 5; i++) {
			acquireAndRelease(store, key("recent", i));
		}
		List<String> sent = new ArrayList<>();
		JdbcLockStore counted = new JdbcLockStore(AbstractJdbcLockStoreTests.countingDataSource(dataSource, sent),
				tableName);
		JdbcLockCleanup cleanup = new JdbcLockCleanup(counted, retention, Duration.ofHours(1), 50);
		LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();
		LockTemplate template = LockTemplate.builder(store)
			.settings(LockSettings.defaults())
			.scheduler(scheduler)
			.build();
		AtomicBoolean done = new AtomicBoolean();
		AtomicInteger overlaps = new AtomicInteger();
		AtomicInteger backwards = new AtomicInteger();
		AtomicLong cycles = new AtomicLong();
		Map<LockKey, AtomicInteger> inside = new ConcurrentHashMap<>();
		Map<LockKey, Long> lastToken = new ConcurrentHashMap<>();
		ExecutorService workers = Executors.newFixedThreadPool(16);
		CountDownLatch running = new CountDownLatch(16);
		List<Future<?>> futures = new ArrayList<>();
		try {
			for (int t = 0; t < 16; t++) {
				// Two threads on each key, so that exclusion is put to the test.
				LockKey key = key("busy", t % 8);
				futures.add(workers.submit(() -> {
					running.countDown();
					while (!done.get()) {
						try (Lease lease = template.acquire(key,
								LockOptions.builder()
									.waitTime(Duration.ofSeconds(10))
									.leaseTime(Duration.ofSeconds(30))
									.autoRenew(false)
									.build())) {
							if (inside.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet() != 1) {
								overlaps.incrementAndGet();
							}
							Long previous = lastToken.put(key, lease.fencingToken());
							if (previous != null && previous >= lease.fencingToken()) {
								backwards.incrementAndGet();
							}
							inside.get(key).decrementAndGet();
						}
						cycles.incrementAndGet();
					}
					return null;
				}));
			}
			running.await();
			// The table also holds the rows of the other tests, some of them deletable.
			OptionalLong removed = cleanup.cleanUp();
			assertThat(removed).as("rows deleted").isPresent();
			assertThat(removed.getAsLong()).isGreaterThanOrEqualTo(233);
			assertThat(cleanup.getRowsRemoved()).isEqualTo(removed.getAsLong());
		}
		finally {
			done.set(true);
			for (Future<?> future : futures) {
				future.get(1, TimeUnit.MINUTES);
			}
			workers.shutdownNow();
			scheduler.close();
		}
		assertThat(cycles.get()).isPositive();
		assertThat(overlaps.get()).as("holders inside at once").isZero();
		assertThat(backwards.get()).as("fencing tokens that did not increase").isZero();
		assertThat(rows("old")).isZero();
		assertThat(rows("crashed")).isZero();
		assertThat(rows("held")).isEqualTo(5);
		assertThat(rows("recent")).isEqualTo(5);
		assertThat(rows("busy")).isEqualTo(8);
		List<String> deletes = sent.stream().filter((sql) -> sql.strip().startsWith("DELETE")).toList();
		List<String> pages = sent.stream().filter((sql) -> sql.strip().startsWith("SELECT lock_id")).toList();
		// 233 deletable rows among at least 252 in pages of 50: at least five deletes,
		// each naming at most 50 rows.
		assertThat(deletes).hasSizeGreaterThanOrEqualTo(5).hasSizeLessThanOrEqualTo(pages.size());
		assertThat(deletes).allSatisfy((sql) -> assertThat(listLength(sql)).isBetween(1, 50));
		assertThat(pages).hasSizeGreaterThanOrEqualTo(6);
		for (int i = 0; i < 5; i++) {
			assertThat(store.release(key("held", i), "holder").toCompletableFuture().join()).isTrue();
		}
		counted.close();
		store.close();
	}

	@Test
	void aKeyWhoseRowWasDeletedGetsAGreaterFencingToken() throws Exception {
		JdbcLockStore store = new JdbcLockStore(dataSource, tableName);
		LockKey key = key("fencing", 1);
		long first = acquire(store, key, "first", LONG_LEASE);
		assertThat(store.release(key, "first").toCompletableFuture().join()).isTrue();
		Thread.sleep(20);
		JdbcLockCleanup cleanup = new JdbcLockCleanup(store, Duration.ofMillis(5), Duration.ofHours(1));
		assertThat(cleanup.cleanUp().orElseThrow()).isGreaterThanOrEqualTo(1);
		assertThat(rows("fencing")).as("the key's row was deleted").isZero();
		long second = acquire(store, key, "second", LONG_LEASE);
		assertThat(second).isGreaterThan(first);
		assertThat(store.release(key, "second").toCompletableFuture().join()).isTrue();
		store.close();
	}

	@Test
	void twoInstancesCleaningUpAtOnceRunOneAtATime() throws Exception {
		acquireAndRelease(new JdbcLockStore(dataSource, tableName), key("contended", 1));
		CountDownLatch inside = new CountDownLatch(1);
		CountDownLatch proceed = new CountDownLatch(1);
		AtomicInteger connections = new AtomicInteger();
		// The first instance is held up in its first page, after it took the lock.
		DataSource slow = new DelegatingDataSource(dataSource) {
			@Override
			public Connection getConnection() throws SQLException {
				// Detecting the database, taking the lock, then the first page.
				if (connections.incrementAndGet() == 3) {
					inside.countDown();
					try {
						proceed.await(30, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				return super.getConnection();
			}
		};
		JdbcLockCleanup first = new JdbcLockCleanup(new JdbcLockStore(slow, tableName), Duration.ofHours(1),
				Duration.ofHours(1));
		JdbcLockCleanup second = new JdbcLockCleanup(new JdbcLockStore(dataSource, tableName), Duration.ofHours(1),
				Duration.ofHours(1));
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<OptionalLong> firstRun = executor.submit(first::cleanUp);
			assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(second.cleanUp()).as("the second instance skips its run").isEmpty();
			proceed.countDown();
			assertThat(firstRun.get(30, TimeUnit.SECONDS)).hasValue(0);
			assertThat(second.cleanUp()).as("once the first is done, the second runs").hasValue(0);
		}
		finally {
			proceed.countDown();
			executor.shutdownNow();
		}
	}

	@Test
	void runsOnItsOwnThreadUntilStopped() throws Exception {
		JdbcLockStore store = new JdbcLockStore(dataSource, tableName);
		acquireAndRelease(store, key("scheduled", 1));
		JdbcLockCleanup cleanup = new JdbcLockCleanup(store, Duration.ofMillis(5), Duration.ofMillis(100));
		assertThat(cleanupThreads()).isZero();
		cleanup.start();
		try {
			assertThat(cleanup.isRunning()).isTrue();
			assertThat(cleanupThreads()).isOne();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (rows("scheduled") > 0 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(rows("scheduled")).as("deleted by a scheduled run").isZero();
		}
		finally {
			cleanup.stop();
		}
		assertThat(cleanup.isRunning()).isFalse();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (cleanupThreads() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(cleanupThreads()).as("threads left after stop").isZero();
		store.close();
	}

	static long cleanupThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().equals("distributed-lock-jdbc-cleanup"))
			.count();
	}

	private static int listLength(String sql) {
		int open = sql.indexOf("IN (?") + 4;
		String list = sql.substring(open, sql.indexOf(')', open));
		return list.split(",").length;
	}

	private LockKey key(String kind, int index) {
		return LockKey.of(this.namespace + "-" + kind, index);
	}

	private int rows(String kind) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection
					.prepareStatement("SELECT COUNT(*) FROM " + tableName + " WHERE lock_namespace = ?")) {
			statement.setString(1, this.namespace + "-" + kind);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
	}

	private static long acquire(JdbcLockStore store, LockKey key, String owner, Duration lease) {
		var result = store.tryAcquire(new LockRequest(key, owner, lease, Duration.ZERO, false, Duration.ofSeconds(5)))
			.toCompletableFuture()
			.join();
		assertThat(result.isAcquired()).as("acquired %s", key).isTrue();
		return result.fencingToken();
	}

	private static void acquireAndRelease(JdbcLockStore store, LockKey key) {
		acquire(store, key, "owner", LONG_LEASE);
		assertThat(store.release(key, "owner").toCompletableFuture().join()).isTrue();
	}

}
