package dev.distlock.benchmarks.compare;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

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
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * The Redis floor and the Redis peers. Every Spring-based contender goes through a
 * {@link LettuceConnectionFactory} with Spring Boot's defaults (one shared native
 * connection per node), the floor through one raw Lettuce connection per node, and
 * Redisson through its own client with its default pool, as each is used in practice.
 */
final class RedisContenders {

	static final String PREFIX = "bench:";

	private RedisContenders() {
	}

	static List<Contender> create(BenchSettings settings) {
		Duration lease = settings.leaseTime();
		Duration retry = settings.retryInterval();
		String retryLabel = "retry loop every " + retry.toMillis() + " ms";
		return List.of(
				new Contender("floor: SET NX PX + compare-and-delete script", "floor", Contender.Store.REDIS,
						Contender.Role.FLOOR, retryLabel, () -> new Floor(settings.redisUrl(), lease, retry)),
				new Contender("Redisson RLock", "Redisson", Contender.Store.REDIS, Contender.Role.PEER, "pub/sub",
						() -> new RedissonNode(settings.redisUrl(), lease)),
				new Contender("Spring Integration RedisLockRegistry (spin)", "SI spin", Contender.Store.REDIS,
						Contender.Role.PEER, "spin, default 100 ms between tries",
						() -> new SpringIntegrationNode(settings.redisUrl(), RedisLockRegistry.RedisLockType.SPIN_LOCK,
								lease)),
				new Contender("Spring Integration RedisLockRegistry (pub/sub)", "SI pub/sub", Contender.Store.REDIS,
						Contender.Role.PEER, "pub/sub",
						() -> new SpringIntegrationNode(settings.redisUrl(),
								RedisLockRegistry.RedisLockType.PUB_SUB_LOCK, lease)),
				new Contender("ShedLock RedisLockProvider (DEL without owner check)", "ShedLock", Contender.Store.REDIS,
						Contender.Role.PEER, retryLabel + " (no blocking acquire)",
						() -> new ShedLockNode(settings.redisUrl(), false, lease, retry)),
				new Contender("ShedLock RedisLockProvider (safeUpdate)", "ShedLock safe", Contender.Store.REDIS,
						Contender.Role.PEER, retryLabel + " (no blocking acquire)",
						() -> new ShedLockNode(settings.redisUrl(), true, lease, retry)));
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

	static final class RedissonNode implements LockClient {

		private final RedissonClient redisson;

		private final long leaseMillis;

		RedissonNode(String url, Duration lease) {
			Config config = new Config();
			config.useSingleServer().setAddress(url);
			this.redisson = Redisson.create(config);
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
