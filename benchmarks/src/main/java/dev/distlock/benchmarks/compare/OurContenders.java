package dev.distlock.benchmarks.compare;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import dev.distlock.core.AcquireResult;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockNotAcquiredException;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockTemplate;
import dev.distlock.jdbc.JdbcLockSchema;
import dev.distlock.jdbc.JdbcLockStore;
import dev.distlock.redis.RedisLockStore;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The one place where this project's stores enter the comparison. Each store appears
 * twice: its raw cycle ({@link LockStore#tryAcquire} + {@link LockStore#release}, the
 * store's own cost; waiting goes through a template, since the store SPI makes single
 * attempts) and through {@link LockTemplate#execute} (adding the template's reentrancy
 * bookkeeping and lease renewal, as the annotation uses it).
 */
final class OurContenders {

	static final String NAMESPACE = "bench";

	static final String REDIS_KEY_PREFIX = RedisContenders.PREFIX + "distlock:";

	static final String JDBC_TABLE = "bench_distributed_lock";

	private OurContenders() {
	}

	static List<Contender> create(BenchSettings settings) {
		List<Contender> contenders = new ArrayList<>();
		addStore(contenders, settings, Contender.Store.REDIS, "targeted wake-up of one instance per release", () -> {
			LettuceConnectionFactory connectionFactory = RedisContenders.connectionFactory(settings.redisUrl());
			RedisLockStore store = new RedisLockStore(connectionFactory, REDIS_KEY_PREFIX);
			return new RegistryNode(store, () -> {
				store.close();
				connectionFactory.destroy();
			});
		});
		for (Contender.Store store : List.of(Contender.Store.POSTGRESQL, Contender.Store.MARIADB)) {
			addStore(contenders, settings, store, "local hand-off; polls across instances", () -> {
				HikariDataSource dataSource = JdbcContenders.dataSource(JdbcContenders.url(settings, store),
						settings.poolSize(), "distlock");
				JdbcLockStore lockStore = new JdbcLockStore(dataSource, JDBC_TABLE);
				return new RegistryNode(lockStore, () -> {
					lockStore.close();
					dataSource.close();
				});
			});
		}
		return contenders;
	}

	/**
	 * Create our JDBC store's table with its own DDL, if missing, and clear rows left by
	 * an earlier run (the table is this benchmark's own).
	 * @param dataSource the database
	 * @throws SQLException if the database refused
	 */
	static void prepareJdbc(DataSource dataSource) throws SQLException {
		JdbcLockSchema.createTable(dataSource, JDBC_TABLE);
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("DELETE FROM " + JDBC_TABLE);
		}
	}

	/**
	 * Add the raw and the template contender of one store.
	 * @param contenders where to add them
	 * @param settings the settings
	 * @param store the server
	 * @param waiting how the store waits for a held lock
	 * @param nodes opens one node of the store: a registry with its own connections
	 */
	static void addStore(List<Contender> contenders, BenchSettings settings, Contender.Store store, String waiting,
			RegistryFactory nodes) {
		Duration lease = settings.leaseTime();
		contenders.add(new Contender("distlock " + store.title() + " registry (raw cycle)", "distlock raw", store,
				Contender.Role.OURS, waiting, () -> new RegistryClient(nodes.open(), lease)));
		contenders.add(new Contender("distlock " + store.title() + " via LockTemplate.execute", "distlock template",
				store, Contender.Role.OURS, waiting, () -> new TemplateClient(nodes.open(), lease)));
	}

	/**
	 * Opens one node of one of our stores.
	 */
	@FunctionalInterface
	interface RegistryFactory {

		/**
		 * Open a registry with its own connections.
		 * @return the node
		 * @throws Exception if it could not connect
		 */
		RegistryNode open() throws Exception;

	}

	/**
	 * A registry and what closes its connections.
	 *
	 * @param store the store
	 * @param resources closes the store's connections
	 */
	record RegistryNode(LockStore store, AutoCloseable resources) {

	}

	/**
	 * The raw cycle: one {@code tryAcquire} and one {@code release} on the store.
	 */
	static final class RegistryClient implements LockClient {

		private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

		private final RegistryNode node;

		private final Duration lease;

		private final TemplateClient waiting;

		RegistryClient(RegistryNode node, Duration lease) {
			this.node = node;
			this.lease = lease;
			this.waiting = new TemplateClient(node, lease);
		}

		@Override
		public @Nullable Held tryAcquire(String key, Duration waitTime) throws InterruptedException {
			if (!waitTime.isZero()) {
				return this.waiting.tryAcquire(key, waitTime);
			}
			LockKey lockKey = LockKey.of(NAMESPACE, key);
			String owner = UUID.randomUUID().toString();
			LockStore store = this.node.store();
			AcquireResult result = store
				.tryAcquire(new LockRequest(lockKey, owner, this.lease, Duration.ZERO, false, ATTEMPT_TIMEOUT))
				.toCompletableFuture()
				.join();
			if (!result.isAcquired()) {
				return null;
			}
			return () -> {
				if (!store.release(lockKey, owner).toCompletableFuture().join()) {
					throw new IllegalStateException("Lock '" + lockKey + "' was not held at release");
				}
			};
		}

		@Override
		public void close() {
			this.waiting.close();
		}

	}

	/**
	 * The template: {@link LockTemplate#execute} with the library's defaults (reentrant,
	 * auto-renew on) and no listener.
	 */
	static final class TemplateClient implements LockClient {

		private final RegistryNode node;

		private final LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

		private final LockTemplate template;

		private final Duration lease;

		private final Map<Duration, LockOptions> options = new ConcurrentHashMap<>();

		TemplateClient(RegistryNode node, Duration lease) {
			this.node = node;
			this.template = LockTemplate.builder(node.store()).scheduler(this.scheduler).build();
			this.lease = lease;
		}

		@Override
		public @Nullable Held tryAcquire(String key, Duration waitTime) {
			return this.template.tryAcquire(LockKey.of(NAMESPACE, key), options(waitTime))
				.<Held>map((lease) -> lease::close)
				.orElse(null);
		}

		@Override
		public boolean runLocked(String key, Duration waitTime, Runnable section) {
			try {
				this.template.execute(LockKey.of(NAMESPACE, key), options(waitTime), () -> {
					section.run();
					return null;
				});
				return true;
			}
			catch (LockNotAcquiredException ex) {
				return false;
			}
		}

		private LockOptions options(Duration waitTime) {
			// Options are built once per wait time, as an application holds them in a
			// field.
			return this.options.computeIfAbsent(waitTime,
					(wait) -> LockOptions.builder().waitTime(wait).leaseTime(this.lease).build());
		}

		@Override
		public void close() {
			this.scheduler.close();
			closeNode(this.node.resources());
		}

	}

	static void closeNode(AutoCloseable resources) {
		try {
			resources.close();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not close a node", ex);
		}
	}

}
