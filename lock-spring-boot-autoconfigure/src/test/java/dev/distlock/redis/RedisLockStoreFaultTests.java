package dev.distlock.redis;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.Lease;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockAttempt;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockListener;
import dev.distlock.core.LockNotAcquiredException;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockStoreException;
import dev.distlock.core.LockStores;
import dev.distlock.core.LockTemplate;
import dev.distlock.redis.RedisServerSupport.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What holders and waiters see when Redis fails: down, restarted without persistence,
 * paused past a lease, or slow enough that an acquire times out. Each test has its own
 * embedded server. Two stores on two connection factories stand for two instances of an
 * application.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class RedisLockStoreFaultTests {

	/** Well above the pauses below, so paused commands complete rather than fail. */
	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(6);

	private EmbeddedRedis server;

	private LettuceConnectionFactory holderFactory;

	private LettuceConnectionFactory waiterFactory;

	private RedisLockStore holderStore;

	private RedisLockStore waiterStore;

	private LeaseRenewalScheduler scheduler;

	private LockTemplate holderTemplate;

	private LockTemplate waiterTemplate;

	private final List<Lease> lost = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startServer() {
		this.server = RedisServerSupport.startServer();
		this.holderFactory = RedisServerSupport.lettuce(this.server.configuration(), CLIENT_TIMEOUT);
		this.waiterFactory = RedisServerSupport.lettuce(this.server.configuration(), CLIENT_TIMEOUT);
		this.holderStore = new RedisLockStore(this.holderFactory, "lock:");
		this.waiterStore = new RedisLockStore(this.waiterFactory, "lock:");
		this.scheduler = new LeaseRenewalScheduler();
		this.holderTemplate = LockTemplate.builder(this.holderStore)
			.scheduler(this.scheduler)
			.listener(new LockListener() {
				@Override
				public void onLost(LockAttempt attempt, Lease lease) {
					RedisLockStoreFaultTests.this.lost.add(lease);
				}
			})
			.build();
		this.waiterTemplate = LockTemplate.builder(this.waiterStore).scheduler(this.scheduler).build();
	}

	@AfterEach
	void stopServer() {
		this.scheduler.close();
		this.holderStore.close();
		this.waiterStore.close();
		this.holderFactory.destroy();
		this.waiterFactory.destroy();
		this.server.close();
	}

	@Test
	void redisNeverReachedIsAStoreFailureNotANotAcquired() {
		LockKey key = LockKey.of("faults", "never-reached");
		this.server.stop();
		LettuceConnectionFactory factory = RedisServerSupport
			.lettuce(new RedisStandaloneConfiguration("127.0.0.1", this.server.port()), Duration.ofSeconds(1));
		try (RedisLockStore store = new RedisLockStore(factory, "lock:")) {
			LockTemplate template = LockTemplate.builder(store).scheduler(this.scheduler).build();
			assertThatExceptionOfType(LockStoreException.class)
				.isThrownBy(() -> template.acquire(key, LockOptions.defaults()))
				.withMessageContaining("acquire lock 'faults:never-reached'");
			assertThatExceptionOfType(LockStoreException.class)
				.isThrownBy(() -> template.acquire(key, LockOptions.builder().waitTime(Duration.ofSeconds(1)).build()));
			assertThatExceptionOfType(LockStoreException.class).isThrownBy(store::checkAvailability);
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void redisDownAtAcquireIsAStoreFailureAndTokensGoOnIncreasingAfterARestart() {
		LockKey key = LockKey.of("faults", "down");
		long before = LockStores.acquire(this.holderStore, key, "first", Duration.ofSeconds(30)).orElseThrow();
		LockStores.release(this.holderStore, key, "first");
		this.server.stop();
		LockTemplate impatient = LockTemplate.builder(this.holderStore)
			.scheduler(this.scheduler)
			.storeTimeout(Duration.ofSeconds(1))
			.build();
		assertThatExceptionOfType(LockStoreException.class).isThrownBy(() -> impatient.execute(key, () -> "never"))
			.isNotInstanceOf(LockNotAcquiredException.class)
			.withMessageContaining("acquire lock 'faults:down'");
		this.server.start();
		long after = await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> LockStores.acquire(this.holderStore, key, "owner", Duration.ofSeconds(30)),
					Optional::isPresent)
			.orElseThrow();
		assertThat(after).as("token after the restart lost the counter").isGreaterThan(before);
	}

	@Test
	void redisRestartedWhileHeldLosesTheLeaseAndTheWaiterTakesOverWithAHigherToken() throws Exception {
		LockKey key = LockKey.of("faults", "restart");
		Lease lease = this.holderTemplate.acquire(key, renewing(Duration.ofMillis(1500)));
		CompletableFuture<Lease> waiter = this.waiterTemplate.acquireAsync(key,
				LockOptions.builder().waitTime(Duration.ofSeconds(20)).build());
		Thread.sleep(300);
		assertThat(waiter).isNotDone();

		this.server.stop();
		this.server.start();

		Lease taken = waiter.get(20, TimeUnit.SECONDS);
		assertThat(taken.fencingToken()).as("token of the holder after the restart")
			.isGreaterThan(lease.fencingToken());
		await().atMost(Duration.ofSeconds(10)).until(() -> !lease.isValid());
		assertThat(this.lost).containsExactly(lease);
		lease.close();
		assertThat(taken.isValid()).as("the old holder left the new one's lock alone").isTrue();
		taken.close();
		assertReleaseWakesTheOtherInstancePromptly(LockKey.of("faults", "after-restart"));
	}

	@Test
	void redisPausedPastTheLeaseLosesTheLeaseByTheClockAndTheNextHolderGetsAHigherToken() throws Exception {
		LockKey key = LockKey.of("faults", "paused");
		Lease lease = this.holderTemplate.acquire(key, renewing(Duration.ofSeconds(1)));
		CompletableFuture<Lease> waiter = this.waiterTemplate.acquireAsync(key,
				LockOptions.builder().waitTime(Duration.ofSeconds(20)).build());
		Thread.sleep(300);
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", this.server.port()));
		try (StatefulRedisConnection<String, String> admin = client.connect()) {
			// Every client's commands wait, the holder's renewals among them, and the
			// lease runs out meanwhile: the holder learns it at its local deadline, not
			// when Redis answers again.
			long paused = System.nanoTime();
			admin.sync().clientPause(2500);
			await().atMost(Duration.ofSeconds(2)).until(() -> !lease.isValid());
			assertThat(Duration.ofNanos(System.nanoTime() - paused)).as("time until the holder knew")
				.isLessThan(Duration.ofMillis(1500));
			Lease taken = waiter.get(20, TimeUnit.SECONDS);
			assertThat(taken.fencingToken()).isGreaterThan(lease.fencingToken());
			assertThat(this.lost).containsExactly(lease);
			lease.close();
			taken.close();
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void anAcquireThatTimedOutLeavesNoGhostLockOnceRedisAnswersAgain() throws Exception {
		LockKey key = LockKey.of("faults", "ghost");
		LockTemplate impatient = LockTemplate.builder(this.holderStore)
			.scheduler(this.scheduler)
			.storeTimeout(Duration.ofMillis(500))
			.build();
		LockStores.acquire(this.holderStore, LockKey.of("faults", "warm-up"), "w", Duration.ofSeconds(1));
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", this.server.port()));
		try (StatefulRedisConnection<String, String> admin = client.connect()) {
			admin.sync().clientPause(2000);
			long pausedAt = System.nanoTime();
			assertThatExceptionOfType(LockStoreException.class).isThrownBy(
					() -> impatient.acquire(key, LockOptions.builder().leaseTime(Duration.ofSeconds(30)).build()));
			// The acquire reaches Redis when the pause ends; so does its release.
			long healed = pausedAt + TimeUnit.MILLISECONDS.toNanos(2000);
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> admin.sync().exists(this.holderStore.redisKey(key)) == 0
						&& System.nanoTime() - healed > 0);
			Duration ghostLived = Duration.ofNanos(Math.max(System.nanoTime() - healed, 0));
			assertThat(ghostLived).as("time the ghost lock lived after Redis answered again")
				.isLessThan(Duration.ofSeconds(2));
		}
		finally {
			client.shutdown();
		}
	}

	private void assertReleaseWakesTheOtherInstancePromptly(LockKey key) throws Exception {
		Lease held = await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> this.holderTemplate.acquire(key, LockOptions.defaults()), (lease) -> true);
		CompletableFuture<Lease> waiter = this.waiterTemplate.acquireAsync(key,
				LockOptions.builder().waitTime(Duration.ofSeconds(30)).build());
		Thread.sleep(300);
		long releasedAt = System.nanoTime();
		held.close();
		Lease taken = waiter.get(20, TimeUnit.SECONDS);
		assertThat(Duration.ofNanos(System.nanoTime() - releasedAt)).as("hand-off after the restart")
			.isLessThan(Duration.ofMillis(900));
		taken.close();
	}

	private static LockOptions renewing(Duration leaseTime) {
		return LockOptions.builder().leaseTime(leaseTime).autoRenew(true).build();
	}

}
