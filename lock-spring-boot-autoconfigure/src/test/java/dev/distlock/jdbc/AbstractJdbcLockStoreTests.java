package dev.distlock.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.distlock.annotation.DistributedLock;
import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.core.AbstractLockStoreContractTests;
import dev.distlock.core.HandOverResult;
import dev.distlock.core.Lease;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock contract and the JDBC store's own behaviour, on one real database per
 * subclass. Each subclass gets its own table, created from the shipped DDL and dropped
 * after its tests.
 *
 * @author Distributed Lock team
 */
abstract class AbstractJdbcLockStoreTests extends AbstractLockStoreContractTests {

	private static HikariDataSource dataSource;

	private static String tableName;

	protected static String tableName() {
		return tableName;
	}

	private static String url;

	/**
	 * Return the JDBC URL of the database under test.
	 * @return the JDBC URL
	 */
	protected abstract String jdbcUrl();

	@Override
	protected LockStore createStore() {
		return new JdbcLockStore(dataSource(), tableName);
	}

	protected DataSource dataSource() {
		if (dataSource == null) {
			url = jdbcUrl();
			dataSource = TestDatabases.pool(url);
			tableName = TestDatabases.uniqueTableName();
			JdbcLockSchema.createTable(dataSource, tableName);
		}
		return dataSource;
	}

	@AfterAll
	static void dropTable() {
		if (dataSource != null) {
			TestDatabases.dropTable(dataSource, tableName);
			dataSource.close();
			dataSource = null;
		}
	}

	private JdbcLockDialect dialect() throws SQLException {
		try (Connection connection = dataSource().getConnection()) {
			return JdbcLockDialect.of(connection);
		}
	}

	@Test
	void uncontendedAcquireAndReleaseSendTwoStatements() throws Exception {
		List<String> sent = new ArrayList<>();
		JdbcLockStore counted = new JdbcLockStore(countingDataSource(dataSource(), sent), tableName);
		counted.checkAvailability();
		LockKey key = key("counted");
		sent.clear();
		assertThat(acquire(counted, key, "first", Duration.ofSeconds(30))).isPresent();
		assertThat(release(counted, key, "first")).isTrue();
		// On MySQL, MariaDB and PostgreSQL the acquire tries to take over the key's row
		// first: a key's very first acquire adds the insert. H2 does both in one MERGE.
		assertThat(sent).as("statements for a key's first acquire and release")
			.hasSize((dialect() == JdbcLockDialect.H2) ? 2 : 3);
		sent.clear();
		assertThat(acquire(counted, key, "second", Duration.ofSeconds(30))).isPresent();
		assertThat(release(counted, key, "second")).isTrue();
		assertThat(sent).as("statements for acquire and release of a key locked before").hasSize(2);
		counted.close();
	}

	@Test
	void handOverToAWaiterOfThisInstanceIsOneStatementOnPostgresql() throws Exception {
		List<String> sent = new ArrayList<>();
		JdbcLockStore counted = new JdbcLockStore(countingDataSource(dataSource(), sent), tableName);
		counted.checkAvailability();
		LockKey key = key("counted-hand-over");
		assertThat(acquire(counted, key, "first", Duration.ofSeconds(30))).isPresent();
		sent.clear();
		HandOverResult handed = handOver(counted, key, "first", "second");
		assertThat(handed.released()).isTrue();
		assertThat(handed.next().isAcquired()).isTrue();
		// PostgreSQL moves the row in one UPDATE. Elsewhere other instances' waiters
		// poll: the lock is free between a release and an attempt, so that their polls
		// get in.
		int expected = (dialect() == JdbcLockDialect.POSTGRESQL) ? 1 : 2;
		assertThat(sent).as("statements of one hand-over").hasSize(expected);
		// After its turn the instance looks whether other instances wait, in the same
		// statement; none does, so the lock goes on to the next waiter here.
		sent.clear();
		HandOverResult afterTurn = counted
			.handOver(key, "second",
					new LockRequest(key, "third", Duration.ofSeconds(30), Duration.ofSeconds(5), false,
							Duration.ofSeconds(5)),
					true)
			.toCompletableFuture()
			.join();
		assertThat(afterTurn.released()).isTrue();
		assertThat(afterTurn.next().isAcquired()).as("nobody waits elsewhere").isTrue();
		assertThat(afterTurn.next().fencingToken()).isGreaterThan(handed.next().fencingToken());
		assertThat(sent).as("statements of a hand-over after the instance's turn").hasSize(expected);
		assertThat(release(counted, key, "third")).isTrue();
		counted.close();
	}

	@Test
	void operatorsCanReadTheRow() throws Exception {
		LockKey key = LockKey.of("operator-view-" + tableName, "user", 42);
		long token = acquire(store(), key, "the-owner", Duration.ofSeconds(30)).orElseThrow();
		try (Connection connection = dataSource().getConnection();
				PreparedStatement statement = connection.prepareStatement("SELECT lock_namespace, lock_key, owner, "
						+ "fencing_token FROM " + tableName + " WHERE lock_namespace = ?")) {
			statement.setString(1, key.namespace());
			try (ResultSet row = statement.executeQuery()) {
				assertThat(row.next()).isTrue();
				assertThat(row.getString(1)).isEqualTo(key.namespace());
				assertThat(row.getString(2)).isEqualTo(key.asString());
				assertThat(row.getString(3)).isEqualTo("the-owner");
				assertThat(row.getLong(4)).isEqualTo(token);
			}
		}
		assertThat(release(store(), key, "the-owner")).isTrue();
	}

	@Test
	void fencingTokensStayAboveTheDatabaseClockAfterTheRowIsDeleted() throws Exception {
		LockKey key = key("deleted-row");
		long first = acquire(store(), key, "first", Duration.ofSeconds(30)).orElseThrow();
		assertThat(release(store(), key, "first")).isTrue();
		try (Connection connection = dataSource().getConnection();
				PreparedStatement delete = connection
					.prepareStatement("DELETE FROM " + tableName + " WHERE lock_key = ?")) {
			delete.setString(1, key.asString());
			assertThat(delete.executeUpdate()).isOne();
		}
		long second = acquire(store(), key, "second", Duration.ofSeconds(30)).orElseThrow();
		assertThat(second).isGreaterThan(first);
		release(store(), key, "second");
	}

	@Test
	void lockStatementsNeverJoinTheCallersTransaction() throws Exception {
		LockKey key = key("outside-transaction");
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource()));
		transaction.executeWithoutResult((status) -> {
			assertThat(acquire(store(), key, "in-transaction", Duration.ofSeconds(30))).isPresent();
			status.setRollbackOnly();
		});
		assertThat(acquire(store(), key, "other", Duration.ofSeconds(30))).as("the lock survives the caller's rollback")
			.isEmpty();
		assertThat(release(store(), key, "in-transaction")).isTrue();
	}

	@Test
	void lockedTransactionalMethodRunsOnAPoolOfOneConnection() {
		String dataTable = TestDatabases.uniqueTableName();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class))
			.withUserConfiguration(SingleConnectionConfiguration.class)
			.withPropertyValues("test.url=" + url, "test.data-table=" + dataTable,
					"distributed-lock.jdbc.table-name=" + tableName, "distributed-lock.jdbc.initialize-schema=never")
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcLockStore.class);
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				jdbc.execute("CREATE TABLE " + dataTable + " (id INT PRIMARY KEY)");
				try {
					// The lock is taken before the transaction begins and released after
					// it commits, so the pool's one connection is never needed twice.
					context.getBean(SingleConnectionService.class).insert(1);
					context.getBean(SingleConnectionService.class).insert(2);
					assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + dataTable, Integer.class)).isEqualTo(2);
				}
				finally {
					jdbc.execute("DROP TABLE " + dataTable);
				}
			});
	}

	@Test
	void sixteenClientsOnHotAndDistinctKeysSeeNoErrors() throws Exception {
		int clients = 16;
		ExecutorService executor = workers(clients);
		AtomicInteger acquired = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int c = 0; c < clients; c++) {
				LockKey own = key("distinct", c);
				futures.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < 20; i++) {
						LockKey key = (i % 2 == 0) ? key("hot") : own;
						Optional<Lease> lease = template().tryAcquire(key,
								options(Duration.ofSeconds(30), Duration.ofSeconds(30), false));
						assertThat(lease).as("acquired within the wait").isPresent();
						acquired.incrementAndGet();
						lease.get().close();
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(3, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(acquired.get()).isEqualTo(clients * 20);
	}

	@Test
	void leaseIsJudgedByTheDatabaseClockWhateverTheTimeZones() throws Exception {
		TimeZone original = TimeZone.getDefault();
		// Fourteen hours ahead of UTC in this JVM, eight behind in the database session:
		// a lease judged by either clock's local time would be off by hours.
		String setSessionTimeZone = sessionTimeZoneSql(dialect());
		TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
		try (HikariDataSource skewed = TestDatabases.pool(url, 2,
				(config) -> config.setConnectionInitSql(setSessionTimeZone))) {
			JdbcLockStore skewedStore = new JdbcLockStore(skewed, tableName);
			LockTemplate skewedTemplate = template(skewedStore, LockSettings.defaults());
			LockKey key = key("time-zones");
			long start = System.nanoTime();
			assertThat(acquire(skewedStore, key, "short", Duration.ofMillis(1500))).isPresent();
			assertThat(acquire(skewedStore, key, "next", Duration.ofSeconds(30))).isEmpty();
			Lease next = skewedTemplate.acquire(key, options(Duration.ofSeconds(10), Duration.ofSeconds(30), false));
			Duration waited = Duration.ofNanos(System.nanoTime() - start);
			assertThat(waited).isGreaterThan(Duration.ofMillis(1000)).isLessThan(Duration.ofMillis(1500).plus(PROMPT));
			next.close();
			skewedStore.close();
		}
		finally {
			TimeZone.setDefault(original);
		}
	}

	private static String sessionTimeZoneSql(JdbcLockDialect dialect) {
		return switch (dialect) {
			case POSTGRESQL -> "SET TIME ZONE 'America/Los_Angeles'";
			case MYSQL -> "SET time_zone = '-08:00'";
			case H2 -> "SET TIME ZONE '-08:00'";
		};
	}

	/**
	 * Wrap a data source so that every statement execution sent to the database is
	 * recorded: instrumentation of the real database, not a stand-in for it.
	 */
	static DataSource countingDataSource(DataSource target, List<String> sent) {
		return new DelegatingDataSource(target) {
			@Override
			public Connection getConnection() throws SQLException {
				Connection connection = super.getConnection();
				return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
						new Class<?>[] { Connection.class }, (proxy, method, args) -> {
							Object result = invoke(method, connection, args);
							if (result instanceof Statement statement) {
								String sql = (args != null && args.length > 0 && args[0] instanceof String s) ? s
										: "(statement)";
								Class<?> type = (result instanceof PreparedStatement) ? PreparedStatement.class
										: Statement.class;
								return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type },
										(statementProxy, statementMethod, statementArgs) -> {
											if (statementMethod.getName().startsWith("execute")) {
												synchronized (sent) {
													sent.add(sql);
												}
											}
											return invoke(statementMethod, statement, statementArgs);
										});
							}
							return result;
						});
			}
		};
	}

	private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class SingleConnectionConfiguration {

		@Bean(destroyMethod = "close")
		HikariDataSource dataSource(Environment environment) {
			return TestDatabases.pool(environment.getRequiredProperty("test.url"), 1,
					(config) -> config.setConnectionTimeout(3000));
		}

		@Bean
		DataSourceTransactionManager transactionManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

		@Bean
		SingleConnectionService singleConnectionService(DataSource dataSource, Environment environment) {
			return new SingleConnectionService(new JdbcTemplate(dataSource),
					environment.getRequiredProperty("test.data-table"));
		}

	}

	public static class SingleConnectionService {

		private final JdbcTemplate jdbc;

		private final String table;

		SingleConnectionService(JdbcTemplate jdbc, String table) {
			this.jdbc = jdbc;
			this.table = table;
		}

		@DistributedLock(namespace = "single-connection", keys = "#id")
		@Transactional
		public void insert(int id) {
			this.jdbc.update("INSERT INTO " + this.table + " (id) VALUES (?)", id);
		}

	}

}
