package dev.distlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.distlock.core.Lease;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockAttempt;
import dev.distlock.core.LockGrant;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockListener;
import dev.distlock.core.LockNotAcquiredException;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockStoreException;
import dev.distlock.core.LockTemplate;
import dev.distlock.redis.RedisServerSupport.EmbeddedRedis;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What holders and waiters see when Redis fails: down, restarted without persistence, or
 * paused past a lease. Each test has its own embedded server, never a shared one. Two
 * registries on two connection factories stand for two instances of an application.
 *
 * @author Distributed Lock team
 */
class RedisLockRegistryFaultTests {

	/** Well above the pause below, so paused commands complete rather than fail. */
	private static final Duration TIMEOUT = Duration.ofSeconds(6);

	private EmbeddedRedis server;

	private LettuceConnectionFactory holderFactory;

	private LettuceConnectionFactory waiterFactory;

	private RedisLockRegistry holderRegistry;

	private RedisLockRegistry waiterRegistry;

	private LeaseRenewalScheduler scheduler;

	private LockTemplate holderTemplate;

	private final List<Lease> lost = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startServer() {
		this.server = RedisServerSupport.startServer();
		this.holderFactory = RedisServerSupport.lettuce(this.server.configuration(), TIMEOUT);
		this.waiterFactory = RedisServerSupport.lettuce(this.server.configuration(), TIMEOUT);
		this.holderRegistry = new RedisLockRegistry(this.holderFactory, "lock:");
		this.waiterRegistry = new RedisLockRegistry(this.waiterFactory, "lock:");
		this.scheduler = new LeaseRenewalScheduler();
		this.holderTemplate = new LockTemplate(this.holderRegistry, LockSettings.defaults(), this.scheduler,
				new LockListener() {
					@Override
					public void onLost(LockAttempt attempt, Lease lease) {
						RedisLockRegistryFaultTests.this.lost.add(lease);
					}
				});
	}

	@AfterEach
	void stopServer() {
		this.scheduler.close();
		this.holderRegistry.close();
		this.waiterRegistry.close();
		this.holderFactory.destroy();
		this.waiterFactory.destroy();
		this.server.close();
	}

	@Test
	void redisNeverReachedIsAStoreFailureNotANotAcquired() {
		LockKey key = LockKey.of("faults", "never-reached");
		this.server.stop();
		LettuceConnectionFactory factory = RedisServerSupport
			.lettuce(new RedisStandaloneConfiguration("127.0.0.1", this.server.port()), TIMEOUT);
		try (RedisLockRegistry registry = new RedisLockRegistry(factory, "lock:")) {
			assertThatExceptionOfType(LockStoreException.class)
				.isThrownBy(() -> registry.tryAcquire(key, "owner", Duration.ofSeconds(30), Duration.ZERO))
				.withMessageContaining("acquire lock 'faults:never-reached'")
				.withMessageContaining("lock:{faults:never-reached}");
			assertThatExceptionOfType(LockStoreException.class)
				.isThrownBy(() -> registry.tryAcquire(key, "owner", Duration.ofSeconds(30), Duration.ofSeconds(1)));
			assertThatExceptionOfType(LockStoreException.class).isThrownBy(registry::checkAvailability);
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void redisDownAtAcquireIsAStoreFailureNotANotAcquired() throws Exception {
		LockKey key = LockKey.of("faults", "down");
		// Each command waits for the reconnection until the command timeout: keep
		// it short.
		LettuceConnectionFactory factory = RedisServerSupport.lettuce(this.server.configuration(),
				Duration.ofSeconds(1));
		try (RedisLockRegistry registry = new RedisLockRegistry(factory, "lock:")) {
			LockTemplate template = new LockTemplate(registry, LockSettings.defaults(), this.scheduler,
					new LockListener() {
					});
			LockGrant before = registry.tryAcquire(key, "first", Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
			registry.release(key, "first");
			this.server.stop();

			assertThatExceptionOfType(LockStoreException.class)
				.isThrownBy(() -> registry.tryAcquire(key, "owner", Duration.ofSeconds(30), Duration.ZERO))
				.withMessageContaining("acquire lock 'faults:down'");
			assertThatExceptionOfType(LockStoreException.class).isThrownBy(() -> template.execute(key, () -> "never"))
				.isNotInstanceOf(LockNotAcquiredException.class);
			assertThatExceptionOfType(LockStoreException.class).isThrownBy(() -> registry.release(key, "owner"))
				.withMessageContaining("release lock 'faults:down'");
			assertThatExceptionOfType(LockStoreException.class)
				.isThrownBy(() -> registry.renew(key, "owner", Duration.ofSeconds(30)))
				.withMessageContaining("renew lock 'faults:down'");

			this.server.start();
			LockGrant after = await().atMost(Duration.ofSeconds(30))
				.ignoreExceptionsInstanceOf(LockStoreException.class)
				.until(() -> registry.tryAcquire(key, "owner", Duration.ofSeconds(30), Duration.ZERO),
						Optional::isPresent)
				.orElseThrow();
			assertThat(after.fencingToken()).as("token after the restart lost the counter")
				.isGreaterThan(before.fencingToken());
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void redisRestartedWhileHeldLosesTheLeaseAndTheWaiterTakesOverWithAHigherToken() throws Exception {
		LockKey key = LockKey.of("faults", "restart");
		Lease lease = this.holderTemplate.acquire(key, options(Duration.ofMillis(1500)));
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Optional<LockGrant>> waiter = executor.submit(() -> this.waiterRegistry.tryAcquire(key, "waiter",
					Duration.ofSeconds(30), Duration.ofSeconds(20)));
			Thread.sleep(300);
			assertThat(waiter).isNotDone();

			this.server.stop();
			this.server.start();

			LockGrant taken = waiter.get(20, TimeUnit.SECONDS).orElseThrow();
			assertThat(taken.fencingToken()).as("token of the holder after the restart")
				.isGreaterThan(lease.fencingToken());
			await().atMost(Duration.ofSeconds(10)).until(() -> !lease.isValid());
			assertThat(this.lost).containsExactly(lease);
			lease.close();
			assertThat(this.waiterRegistry.release(key, "waiter")).as("the old holder left the new one's lock alone")
				.isTrue();
		}
		finally {
			executor.shutdownNow();
		}
		assertReleaseWakesAWaiterPromptly(LockKey.of("faults", "after-restart"));
	}

	@Test
	void redisPausedPastTheLeaseLosesTheLeaseAndTheNextHolderGetsAHigherToken() throws Exception {
		LockKey key = LockKey.of("faults", "paused");
		Lease lease = this.holderTemplate.acquire(key, options(Duration.ofSeconds(1)));
		ExecutorService executor = Executors.newSingleThreadExecutor();
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", this.server.port()));
		try (StatefulRedisConnection<String, String> admin = client.connect()) {
			Future<Optional<LockGrant>> waiter = executor.submit(() -> this.waiterRegistry.tryAcquire(key, "waiter",
					Duration.ofSeconds(30), Duration.ofSeconds(20)));
			Thread.sleep(300);
			assertThat(waiter).isNotDone();

			// Every client's commands wait, the holder's renewals among them, and
			// the lease runs out meanwhile.
			admin.sync().clientPause(2000);

			LockGrant taken = waiter.get(20, TimeUnit.SECONDS).orElseThrow();
			assertThat(taken.fencingToken()).isGreaterThan(lease.fencingToken());
			await().atMost(Duration.ofSeconds(10)).until(() -> !lease.isValid());
			assertThat(this.lost).containsExactly(lease);
			lease.close();
			assertThat(this.waiterRegistry.release(key, "waiter")).isTrue();
		}
		finally {
			executor.shutdownNow();
			client.shutdown();
		}
	}

	private void assertReleaseWakesAWaiterPromptly(LockKey key) throws Exception {
		assertThat(this.holderRegistry.tryAcquire(key, "holder", Duration.ofSeconds(60), Duration.ZERO)).isPresent();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Long> acquiredAt = executor.submit(() -> {
				this.waiterRegistry.tryAcquire(key, "waiter", Duration.ofSeconds(30), Duration.ofSeconds(30))
					.orElseThrow();
				return System.nanoTime();
			});
			Thread.sleep(300);
			long releasedAt = System.nanoTime();
			assertThat(this.holderRegistry.release(key, "holder")).isTrue();
			assertThat(Duration.ofNanos(acquiredAt.get(20, TimeUnit.SECONDS) - releasedAt))
				.as("hand-off through the subscription after the restart")
				.isLessThan(Duration.ofMillis(1500));
			this.waiterRegistry.release(key, "waiter");
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static LockOptions options(Duration leaseTime) {
		return LockOptions.builder().leaseTime(leaseTime).autoRenew(true).build();
	}

}
