package dev.distlock.benchmarks.compare;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.distlock.core.AcquireResult;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockNotAcquiredException;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockTemplate;
import dev.distlock.jdbc.JdbcLockSchema;
import dev.distlock.jdbc.JdbcLockStore;
import dev.distlock.reactive.ReactiveLockTemplate;
import dev.distlock.redis.RedisLockStore;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The one place where this project's stores enter the comparison. Each store appears
 * twice in every scenario: its raw cycle ({@link LockStore#tryAcquire} +
 * {@link LockStore#release}, the store's own cost; waiting goes through a template, since
 * the store SPI makes single attempts) and through {@link LockTemplate#execute} (adding
 * the template's reentrancy bookkeeping and lease renewal, as the annotation uses it).
 * The non-blocking scenarios add {@link LockTemplate#executeAsync} and
 * {@link ReactiveLockTemplate#execute(LockKey, LockOptions, Mono)} on Redis and
 * PostgreSQL.
 *
 * @author Distributed Lock team
 */
final class OurContenders {

	static final String NAMESPACE = "bench";

	static final String REDIS_KEY_PREFIX = RedisContenders.PREFIX + "distlock:";

	static final String JDBC_TABLE = "bench_distributed_lock";

	/**
	 * The column name of our blocking template, which the non-blocking ones compare to.
	 */
	static final String TEMPLATE = "distlock template";

	/** The column name of our reactive template. */
	static final String REACTIVE = "distlock reactive";

	/** The column name of our {@code executeAsync}. */
	static final String ASYNC = "distlock async";

	private OurContenders() {
	}

	static List<Contender> create(BenchSettings settings) {
		List<Contender> contenders = new ArrayList<>();
		RegistryFactory redis = () -> {
			LettuceConnectionFactory connectionFactory = RedisContenders.connectionFactory(settings.redisUrl());
			RedisLockStore store = new RedisLockStore(connectionFactory, REDIS_KEY_PREFIX);
			return new RegistryNode(store, () -> {
				store.close();
				connectionFactory.destroy();
			}, () -> new RedisCommandStats(settings.redisUrl()));
		};
		String redisWaiting = "targeted wake-up of one instance per release";
		addStore(contenders, settings, Contender.Store.REDIS, redisWaiting, redis,
				EnumSet.of(Scenario.Kind.IDLE_SUBSCRIBERS),
				EnumSet.of(Scenario.Kind.IDLE_SUBSCRIBERS, Scenario.Kind.RENEWAL, Scenario.Kind.ASYNC_UNCONTENDED));
		addNonBlocking(contenders, settings, Contender.Store.REDIS, redisWaiting, redis,
				EnumSet.of(Scenario.Kind.WAITERS, Scenario.Kind.ASYNC_UNCONTENDED));
		// distributed-lock.namespaces.<name>.fair=true: waiters in arrival order across
		// instances, for the scenarios where waiting matters.
		contenders.add(new Contender("distlock Redis via LockTemplate.execute, fair", TEMPLATE + " fair",
				Contender.Store.REDIS, Contender.Role.OURS, "fair: hand-off to the first waiter in arrival order",
				() -> new TemplateClient(redis.open(), settings.leaseTime(), settings.renewal().leaseTime(), true),
				EnumSet.of(Scenario.Kind.CONTENDED, Scenario.Kind.HANDOFF)));
		for (Contender.Store store : List.of(Contender.Store.POSTGRESQL, Contender.Store.MARIADB)) {
			boolean postgres = store == Contender.Store.POSTGRESQL;
			String waiting = postgres ? "local hand-off; LISTEN/NOTIFY across instances"
					: "local hand-off; polls across instances";
			RegistryFactory jdbc = () -> jdbcNode(settings, store, false);
			addStore(contenders, settings, store, waiting, jdbc, EnumSet.noneOf(Scenario.Kind.class),
					EnumSet.noneOf(Scenario.Kind.class));
			if (postgres) {
				// Statements are counted by a proxy, kept out of every other scenario.
				contenders.add(new Contender(
						"distlock " + store.title() + " via LockTemplate, auto-renew", TEMPLATE + " renew", store,
						Contender.Role.OURS, waiting, () -> new TemplateClient(jdbcNode(settings, store, true),
								settings.leaseTime(), settings.renewal().leaseTime()),
						EnumSet.of(Scenario.Kind.RENEWAL)));
				addNonBlocking(contenders, settings, store, waiting, jdbc, EnumSet.of(Scenario.Kind.WAITERS));
			}
		}
		return contenders;
	}

	private static RegistryNode jdbcNode(BenchSettings settings, Contender.Store store, boolean counting) {
		HikariDataSource pool = JdbcContenders.dataSource(JdbcContenders.url(settings, store), settings.poolSize(),
				"distlock");
		CountingDataSource counted = counting ? new CountingDataSource(pool) : null;
		JdbcLockStore lockStore = new JdbcLockStore((counted != null) ? counted : pool, JDBC_TABLE);
		return new RegistryNode(lockStore, () -> {
			lockStore.close();
			pool.close();
		}, (counted != null) ? () -> counted : null);
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
	 * Add the raw and the template contender of one store, to the classic scenarios and
	 * the given ones.
	 * @param contenders where to add them
	 * @param settings the settings
	 * @param store the server
	 * @param waiting how the store waits for a held lock
	 * @param nodes opens one node of the store: a store with its own connections
	 * @param raw more scenarios of the raw cycle
	 * @param template more scenarios of the template
	 */
	static void addStore(List<Contender> contenders, BenchSettings settings, Contender.Store store, String waiting,
			RegistryFactory nodes, Set<Scenario.Kind> raw, Set<Scenario.Kind> template) {
		Duration lease = settings.leaseTime();
		Duration renewalLease = settings.renewal().leaseTime();
		contenders.add(new Contender("distlock " + store.title() + " registry (raw cycle)", "distlock raw", store,
				Contender.Role.OURS, waiting, () -> new RegistryClient(nodes.open(), lease), classicAnd(raw)));
		contenders.add(new Contender("distlock " + store.title() + " via LockTemplate.execute", TEMPLATE, store,
				Contender.Role.OURS, waiting, () -> new TemplateClient(nodes.open(), lease, renewalLease),
				classicAnd(template)));
	}

	/*
	 * Add {@code executeAsync} and {@code ReactiveLockTemplate} contenders of one store.
	 */
	private static void addNonBlocking(List<Contender> contenders, BenchSettings settings, Contender.Store store,
			String waiting, RegistryFactory nodes, Set<Scenario.Kind> scenarios) {
		Duration lease = settings.leaseTime();
		contenders.add(new Contender("distlock " + store.title() + " via LockTemplate.executeAsync", ASYNC, store,
				Contender.Role.OURS, waiting, () -> new AsyncTemplateClient(nodes.open(), lease), scenarios));
		contenders.add(new Contender("distlock " + store.title() + " via ReactiveLockTemplate.execute", REACTIVE, store,
				Contender.Role.OURS, waiting, () -> new ReactiveClient(nodes.open(), lease), scenarios));
	}

	private static Set<Scenario.Kind> classicAnd(Set<Scenario.Kind> more) {
		EnumSet<Scenario.Kind> all = EnumSet.copyOf(Contender.CLASSIC);
		all.addAll(more);
		return all;
	}

	private static Boolean ranOrNotAcquired(@Nullable Object value, @Nullable Throwable failure) {
		if (failure == null) {
			return true;
		}
		if (AsyncSections.unwrap(failure) instanceof LockNotAcquiredException) {
			return false;
		}
		throw AsyncSections.rethrow(failure);
	}

	static void closeNode(AutoCloseable resources) {
		try {
			resources.close();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not close a node", ex);
		}
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
	 * A store and what closes its connections.
	 *
	 * @param store the store
	 * @param resources closes the store's connections
	 * @param counter opens what counts the store's round trips, or {@code null} if
	 * nothing can
	 */
	record RegistryNode(LockStore store, AutoCloseable resources, @Nullable Supplier<RoundTripCounter> counter) {

		RegistryNode(LockStore store, AutoCloseable resources) {
			this(store, resources, null);
		}

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
			this.waiting = new TemplateClient(node, lease, lease);
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
	static class TemplateClient implements LockClient {

		private final RegistryNode node;

		private final LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

		private final LockTemplate template;

		private final Duration lease;

		private final LockOptions renewing;

		private final Map<Duration, LockOptions> options = new ConcurrentHashMap<>();

		TemplateClient(RegistryNode node, Duration lease, Duration renewalLease) {
			this(node, lease, renewalLease, false);
		}

		TemplateClient(RegistryNode node, Duration lease, Duration renewalLease, boolean fair) {
			this.node = node;
			LockSettings.Builder settings = LockSettings.builder();
			if (fair) {
				settings.namespace(NAMESPACE, new LockSettings.NamespaceSettings(null, null, null, null, true));
			}
			this.template = LockTemplate.builder(node.store())
				.settings(settings.build())
				.scheduler(this.scheduler)
				.build();
			this.lease = lease;
			this.renewing = LockOptions.builder()
				.waitTime(Duration.ZERO)
				.leaseTime(renewalLease)
				.autoRenew(true)
				.build();
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

		@Override
		public @Nullable Held tryAcquireRenewing(String key) {
			return this.template.tryAcquire(LockKey.of(NAMESPACE, key), this.renewing).<Held>map((lease) -> new Held() {

				@Override
				public void release() {
					lease.close();
				}

				@Override
				public Boolean isHeld() {
					return lease.isValid();
				}

			}).orElse(null);
		}

		@Override
		public @Nullable RoundTripCounter roundTrips() {
			Supplier<RoundTripCounter> counter = this.node.counter();
			return (counter != null) ? counter.get() : null;
		}

		LockTemplate template() {
			return this.template;
		}

		LockOptions options(Duration waitTime) {
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

	/**
	 * {@link LockTemplate#executeAsync}: the caller gets a future at once and waits for
	 * the lock as a pending completion.
	 */
	static final class AsyncTemplateClient extends TemplateClient {

		AsyncTemplateClient(RegistryNode node, Duration lease) {
			super(node, lease, lease);
		}

		@Override
		public boolean isNonBlocking() {
			return true;
		}

		@Override
		public CompletionStage<Boolean> runLockedAsync(String key, Duration waitTime,
				Supplier<? extends CompletionStage<?>> section) {
			return template()
				.executeAsync(LockKey.of(NAMESPACE, key), options(waitTime), AsyncSections.untyped(section))
				.handle(OurContenders::ranOrNotAcquired);
		}

	}

	/**
	 * {@link ReactiveLockTemplate#execute(LockKey, LockOptions, Mono)}, subscribed
	 * through {@link Mono#toFuture()}; the work is {@code Mono.empty()} when there is
	 * none.
	 */
	static final class ReactiveClient extends TemplateClient {

		private final ReactiveLockTemplate reactive;

		ReactiveClient(RegistryNode node, Duration lease) {
			super(node, lease, lease);
			this.reactive = new ReactiveLockTemplate(template());
		}

		@Override
		public boolean isNonBlocking() {
			return true;
		}

		@Override
		public CompletionStage<Boolean> runLockedAsync(String key, Duration waitTime,
				Supplier<? extends CompletionStage<?>> section) {
			Mono<@Nullable Object> work = (section == NO_WORK) ? Mono.empty()
					: Mono.fromCompletionStage(AsyncSections.untyped(section));
			return this.reactive.execute(LockKey.of(NAMESPACE, key), options(waitTime), work)
				.toFuture()
				.handle(OurContenders::ranOrNotAcquired);
		}

	}

}
