package dev.distlock.benchmarks.compare;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.redis.spring.RedisLockProvider;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RLockReactive;
import org.redisson.api.RedissonClient;
import org.redisson.api.RedissonReactiveClient;
import org.redisson.config.Config;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * The Redis floor and the Redis peers. Every Spring-based contender goes through a
 * {@link LettuceConnectionFactory} with Spring Boot's defaults (one shared native
 * connection per node), the floor through one raw Lettuce connection per node, and
 * Redisson through its own client with its default pool, as each is used in practice.
 *
 * @author Distributed Lock team
 */
final class RedisContenders {

	static final String PREFIX = "bench:";

	private RedisContenders() {
	}

	/** The column name of Redisson's reactive lock. */
	static final String REDISSON_REACTIVE = "Redisson reactive";

	/** The column name of Spring Integration's pub/sub lock. */
	static final String SI_PUB_SUB = "SI pub/sub";

	static List<Contender> create(BenchSettings settings) {
		Duration lease = settings.leaseTime();
		Duration retry = settings.retryInterval();
		Duration watchdog = settings.renewal().leaseTime();
		String retryLabel = "retry loop every " + retry.toMillis() + " ms";
		String url = settings.redisUrl();
		return List.of(
				new Contender("floor: SET NX PX + compare-and-delete script", "floor", Contender.Store.REDIS,
						Contender.Role.FLOOR, retryLabel, () -> new Floor(url, lease, retry))
					.alsoIn(Scenario.Kind.IDLE_SUBSCRIBERS, Scenario.Kind.ASYNC_UNCONTENDED),
				new Contender("Redisson RLock", "Redisson", Contender.Store.REDIS, Contender.Role.PEER, "pub/sub",
						() -> new RedissonNode(url, lease, watchdog))
					.alsoIn(Scenario.Kind.IDLE_SUBSCRIBERS, Scenario.Kind.RENEWAL, Scenario.Kind.ASYNC_UNCONTENDED),
				new Contender("Redisson RLock.tryLockAsync", "Redisson async", Contender.Store.REDIS,
						Contender.Role.PEER, "pub/sub", () -> new RedissonAsyncNode(url, lease),
						EnumSet.of(Scenario.Kind.WAITERS, Scenario.Kind.ASYNC_UNCONTENDED)),
				new Contender("Redisson RLockReactive", REDISSON_REACTIVE, Contender.Store.REDIS, Contender.Role.PEER,
						"pub/sub", () -> new RedissonReactiveNode(url, lease),
						EnumSet.of(Scenario.Kind.ASYNC_UNCONTENDED)),
				new Contender("Spring Integration RedisLockRegistry (spin)", "SI spin", Contender.Store.REDIS,
						Contender.Role.PEER, "spin, default 100 ms between tries",
						() -> new SpringIntegrationNode(url, RedisLockRegistry.RedisLockType.SPIN_LOCK, lease)),
				new Contender("Spring Integration RedisLockRegistry (pub/sub)", SI_PUB_SUB, Contender.Store.REDIS,
						Contender.Role.PEER, "pub/sub",
						() -> new SpringIntegrationNode(url, RedisLockRegistry.RedisLockType.PUB_SUB_LOCK, lease))
					.alsoIn(Scenario.Kind.IDLE_SUBSCRIBERS),
				new Contender("ShedLock RedisLockProvider (DEL without owner check)", "ShedLock", Contender.Store.REDIS,
						Contender.Role.REFERENCE, retryLabel + " (no blocking acquire)",
						() -> new ShedLockNode(url, false, lease, retry)),
				new Contender("ShedLock RedisLockProvider (safeUpdate)", "ShedLock safe", Contender.Store.REDIS,
						Contender.Role.PEER, retryLabel + " (no blocking acquire)",
						() -> new ShedLockNode(url, true, lease, retry)),
				fairReference(url));
	}

	private static Contender fairReference(String url) {
		Map<String, ReentrantLock> locks = FairReference.sharedLocks();
		return new Contender(FairReference.NAME, "fair JVM", Contender.Store.REDIS, Contender.Role.REFERENCE,
				"in arrival order, woken by the JVM", () -> {
					RedisClient client = RedisClient.create(RedisURI.create(url));
					StatefulRedisConnection<String, String> connection = client.connect();
					return new FairReference(locks, new FairReference.RoundTrip() {

						@Override
						public void run() {
							connection.sync().ping();
						}

						@Override
						public void close() {
							connection.close();
							client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
						}

					});
				}, EnumSet.of(Scenario.Kind.CONTENDED));
	}

	/**
	 * Create and start a connection factory for one node, configured as Spring Boot would
	 * from {@code spring.data.redis.url}.
	 * @param url the Redis URL
	 * @return the started factory; destroy it to close
	 */
	static LettuceConnectionFactory connectionFactory(String url) {
		URI uri = URI.create(url);
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(uri.getHost(),
				(uri.getPort() > 0) ? uri.getPort() : 6379);
		String path = uri.getPath();
		if (path != null && path.length() > 1) {
			configuration.setDatabase(Integer.parseInt(path.substring(1)));
		}
		String userInfo = uri.getUserInfo();
		if (userInfo != null) {
			int colon = userInfo.indexOf(':');
			if (colon > 0) {
				configuration.setUsername(userInfo.substring(0, colon));
			}
			configuration.setPassword(RedisPassword.of(userInfo.substring(colon + 1)));
		}
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * The floor: {@code SET key owner NX PX lease} to acquire, one {@code EVALSHA} of a
	 * compare-and-delete script to release; two round trips, nothing else.
	 */
	static final class Floor extends RetryingLockClient {

		private final RedisClient client;

		private final StatefulRedisConnection<String, String> connection;

		private final RedisCommands<String, String> commands;

		private final SetArgs acquireArgs;

		private final String releaseSha;

		Floor(String url, Duration lease, Duration retry) {
			super(retry);
			this.client = RedisClient.create(RedisURI.create(url));
			this.connection = this.client.connect();
			this.commands = this.connection.sync();
			this.acquireArgs = SetArgs.Builder.nx().px(lease.toMillis());
			this.releaseSha = this.commands.scriptLoad(Resources.read("floor-release.lua"));
		}

		@Override
		@Nullable Held attempt(String key) {
			String redisKey = PREFIX + "floor:" + key;
			String owner = UUID.randomUUID().toString();
			if (!"OK".equals(this.commands.set(redisKey, owner, this.acquireArgs))) {
				return null;
			}
			return () -> {
				Long deleted = this.commands.evalsha(this.releaseSha, ScriptOutputType.INTEGER,
						new String[] { redisKey }, owner);
				if (deleted == null || deleted != 1L) {
					throw new IllegalStateException("Floor lock '" + redisKey + "' was not held at release");
				}
			};
		}

		@Override
		public void close() {
			this.connection.close();
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}

	}

	/**
	 * Redisson's {@link RLock}, blocking: an explicit lease in the scenarios every lock
	 * takes part in (no watchdog), and the watchdog (a lease of
	 * {@code bench.renewal.lease-time}, renewed by Redisson) for the renewal scenario.
	 */
	static final class RedissonNode implements LockClient {

		private final RedissonClient redisson;

		private final String url;

		private final long leaseMillis;

		RedissonNode(String url, Duration lease, Duration watchdog) {
			Config config = new Config();
			config.useSingleServer().setAddress(url);
			config.setLockWatchdogTimeout(watchdog.toMillis());
			this.redisson = Redisson.create(config);
			this.url = url;
			this.leaseMillis = lease.toMillis();
		}

		@Override
		public @Nullable Held tryAcquire(String key, Duration waitTime) throws InterruptedException {
			// An explicit lease, as every other contender has: no watchdog renewal.
			RLock lock = this.redisson.getLock(PREFIX + "redisson:" + key);
			if (!lock.tryLock(waitTime.toMillis(), this.leaseMillis, TimeUnit.MILLISECONDS)) {
				return null;
			}
			return lock::unlock;
		}

		@Override
		public @Nullable Held tryAcquireRenewing(String key) throws InterruptedException {
			// No lease given: Redisson's watchdog renews the lock while this thread holds
			// it. Redisson ties the lock to this thread, so it must be released here too.
			RLock lock = this.redisson.getLock(PREFIX + "redisson:" + key);
			if (!lock.tryLock(0, TimeUnit.MILLISECONDS)) {
				return null;
			}
			return new Held() {

				@Override
				public void release() {
					lock.unlock();
				}

				@Override
				public Boolean isHeld() {
					return lock.isHeldByCurrentThread();
				}

			};
		}

		@Override
		public RoundTripCounter roundTrips() {
			return new RedisCommandStats(this.url);
		}

		@Override
		public void close() {
			this.redisson.shutdown(0, 2, TimeUnit.SECONDS);
		}

	}

	/**
	 * Redisson's {@link RLock} through its asynchronous methods. Redisson ties a lock to
	 * a thread id; each acquisition here passes its own, as Redisson's documentation asks
	 * of callers whose work moves between threads.
	 */
	static final class RedissonAsyncNode implements LockClient {

		private final RedissonClient redisson;

		private final long leaseMillis;

		private final AtomicLong ids = new AtomicLong();

		RedissonAsyncNode(String url, Duration lease) {
			Config config = new Config();
			config.useSingleServer().setAddress(url);
			this.redisson = Redisson.create(config);
			this.leaseMillis = lease.toMillis();
		}

		@Override
		public boolean isNonBlocking() {
			return true;
		}

		@Override
		public CompletionStage<Boolean> runLockedAsync(String key, Duration waitTime,
				Supplier<? extends CompletionStage<?>> section) {
			RLock lock = this.redisson.getLock(PREFIX + "redisson:" + key);
			long id = this.ids.incrementAndGet();
			return lock.tryLockAsync(waitTime.toMillis(), this.leaseMillis, TimeUnit.MILLISECONDS, id)
				.thenCompose((acquired) -> {
					if (!acquired) {
						return CompletableFuture.completedFuture(false);
					}
					return AsyncSections.start(section)
						.handle((value, failure) -> failure)
						.thenCompose((failure) -> lock.unlockAsync(id).thenApply((unlocked) -> {
							if (failure != null) {
								throw AsyncSections.rethrow(failure);
							}
							return true;
						}));
				});
		}

		@Override
		public @Nullable Held tryAcquire(String key, Duration waitTime) throws Exception {
			RLock lock = this.redisson.getLock(PREFIX + "redisson:" + key);
			long id = this.ids.incrementAndGet();
			if (!lock.tryLockAsync(waitTime.toMillis(), this.leaseMillis, TimeUnit.MILLISECONDS, id)
				.toCompletableFuture()
				.get()) {
				return null;
			}
			return () -> lock.unlockAsync(id).toCompletableFuture().get();
		}

		@Override
		public void close() {
			this.redisson.shutdown(0, 2, TimeUnit.SECONDS);
		}

	}

	/**
	 * Redisson's {@link RLockReactive}, with a thread id of its own for each acquisition
	 * (a reactive caller has no thread of its own); subscribed through
	 * {@link Mono#toFuture()}, as our reactive template is.
	 */
	static final class RedissonReactiveNode implements LockClient {

		private final RedissonClient redisson;

		private final RedissonReactiveClient reactive;

		private final long leaseMillis;

		private final AtomicLong ids = new AtomicLong();

		RedissonReactiveNode(String url, Duration lease) {
			Config config = new Config();
			config.useSingleServer().setAddress(url);
			this.redisson = Redisson.create(config);
			this.reactive = this.redisson.reactive();
			this.leaseMillis = lease.toMillis();
		}

		@Override
		public boolean isNonBlocking() {
			return true;
		}

		@Override
		public CompletionStage<Boolean> runLockedAsync(String key, Duration waitTime,
				Supplier<? extends CompletionStage<?>> section) {
			RLockReactive lock = this.reactive.getLock(PREFIX + "redisson:" + key);
			long id = this.ids.incrementAndGet();
			return lock.tryLock(waitTime.toMillis(), this.leaseMillis, TimeUnit.MILLISECONDS, id)
				.flatMap((acquired) -> {
					if (!acquired) {
						return Mono.just(false);
					}
					Mono<@Nullable Object> work = (section == NO_WORK) ? Mono.empty()
							: Mono.fromCompletionStage(AsyncSections.untyped(section));
					return work.then()
						.onErrorResume((failure) -> lock.unlock(id).then(Mono.error(failure)))
						.then(lock.unlock(id))
						.thenReturn(true);
				})
				.toFuture();
		}

		@Override
		public @Nullable Held tryAcquire(String key, Duration waitTime) throws Exception {
			RLockReactive lock = this.reactive.getLock(PREFIX + "redisson:" + key);
			long id = this.ids.incrementAndGet();
			if (!Boolean.TRUE.equals(
					lock.tryLock(waitTime.toMillis(), this.leaseMillis, TimeUnit.MILLISECONDS, id).toFuture().get())) {
				return null;
			}
			return () -> lock.unlock(id).toFuture().get();
		}

		@Override
		public void close() {
			this.redisson.shutdown(0, 2, TimeUnit.SECONDS);
		}

	}

	static final class SpringIntegrationNode implements LockClient {

		private final LettuceConnectionFactory connectionFactory;

		private final RedisLockRegistry registry;

		private final Duration lease;

		SpringIntegrationNode(String url, RedisLockRegistry.RedisLockType type, Duration lease) {
			this.connectionFactory = connectionFactory(url);
			this.registry = new RedisLockRegistry(this.connectionFactory,
					PREFIX + "si-" + type.name().toLowerCase(java.util.Locale.ROOT), lease);
			this.registry.setRedisLockType(type);
			this.lease = lease;
		}

		@Override
		public @Nullable Held tryAcquire(String key, Duration waitTime) throws InterruptedException {
			return SpringIntegrationLocks.tryAcquire(this.registry.obtain(key), waitTime, this.lease);
		}

		@Override
		public void close() {
			this.registry.destroy();
			this.connectionFactory.destroy();
		}

	}

	static final class ShedLockNode extends RetryingLockClient {

		private final LettuceConnectionFactory connectionFactory;

		private final RedisLockProvider provider;

		private final Duration lease;

		ShedLockNode(String url, boolean safeUpdate, Duration lease, Duration retry) {
			super(retry);
			this.connectionFactory = connectionFactory(url);
			this.provider = new RedisLockProvider.Builder(this.connectionFactory).environment("bench")
				.keyPrefix(PREFIX + "shedlock" + (safeUpdate ? "-safe" : ""))
				.safeUpdate(safeUpdate)
				.build();
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
			this.connectionFactory.destroy();
		}

	}

}
