package dev.distlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.distlock.core.Lease;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockTemplate;
import dev.distlock.redis.RedisServerSupport.EmbeddedRedis;
import io.lettuce.core.AclCategory;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How waiters on several instances get a Redis lock: fair hand-off in arrival order, a
 * vanished fair waiter that holds nobody up beyond the claim period, bounded barging for
 * unfair locks, and waiting that still works when the server refuses pub/sub. Each
 * instance has its own connection factory, on a private embedded server.
 *
 * @author Distributed Lock team
 */
@ExtendWith(OutputCaptureExtension.class)
@Tag("server")
class RedisLockStoreWaitingTests {

	private static final LockSettings FAIR = LockSettings.builder()
		.namespace("fair", new LockSettings.NamespaceSettings(null, null, null, null, true))
		.build();

	private EmbeddedRedis server;

	private final List<LettuceConnectionFactory> connectionFactories = new ArrayList<>();

	private final List<RedisLockStore> stores = new ArrayList<>();

	private final List<LeaseRenewalScheduler> schedulers = new ArrayList<>();

	@BeforeEach
	void startServer() {
		this.server = RedisServerSupport.startServer();
	}

	@AfterEach
	void stopServer() {
		this.schedulers.forEach(LeaseRenewalScheduler::close);
		this.stores.forEach(RedisLockStore::close);
		this.connectionFactories.forEach(LettuceConnectionFactory::destroy);
		this.server.close();
	}

	private LettuceConnectionFactory connectionFactory(RedisStandaloneConfiguration configuration) {
		LettuceConnectionFactory connectionFactory = RedisServerSupport.lettuce(configuration);
		this.connectionFactories.add(connectionFactory);
		return connectionFactory;
	}

	private LockTemplate instance(LockSettings settings) {
		return instance(settings, connectionFactory(this.server.configuration()));
	}

	private LockTemplate instance(LockSettings settings, LettuceConnectionFactory connectionFactory) {
		RedisLockStore store = new RedisLockStore(connectionFactory, "lock:");
		this.stores.add(store);
		LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();
		this.schedulers.add(scheduler);
		return LockTemplate.builder(store).settings(settings).scheduler(scheduler).build();
	}

	private static LockOptions waiting(Duration wait) {
		return LockOptions.builder().waitTime(wait).leaseTime(Duration.ofSeconds(30)).autoRenew(false).build();
	}

	@Test
	void fairLockServesWaitersOfThreeInstancesInArrivalOrder() throws Exception {
		LockKey key = LockKey.of("fair", 1);
		LockTemplate holder = instance(FAIR);
		Lease held = holder.acquire(key, waiting(Duration.ZERO));
		List<String> order = new CopyOnWriteArrayList<>();
		List<CompletableFuture<Void>> done = new ArrayList<>();
		for (String name : List.of("first", "second", "third")) {
			LockTemplate instance = instance(FAIR);
			done.add(instance.executeAsync(key, waiting(Duration.ofSeconds(30)), () -> {
				order.add(name);
				return CompletableFuture.runAsync(() -> sleep(50));
			}));
			// Arrival: when the waiter's first attempt reaches the store.
			Thread.sleep(300);
		}
		// A caller that keeps coming back does not overtake them either.
		AtomicBoolean barging = new AtomicBoolean(true);
		LockTemplate barger = instance(FAIR);
		CompletableFuture<Void> bargerDone = CompletableFuture.runAsync(() -> {
			while (barging.get()) {
				barger.tryAcquire(key, waiting(Duration.ZERO)).ifPresent((lease) -> {
					order.add("barger");
					lease.close();
				});
			}
		});
		held.close();
		CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
		barging.set(false);
		bargerDone.get(5, TimeUnit.SECONDS);
		assertThat(order.subList(0, 3)).containsExactly("first", "second", "third");
	}

	@Test
	void aVanishedFairWaiterHoldsTheQueueUpNoLongerThanTheClaimPeriod() throws Exception {
		LockKey key = LockKey.of("fair", 2);
		LockTemplate holder = instance(FAIR);
		Lease held = holder.acquire(key, waiting(Duration.ZERO));
		LettuceConnectionFactory doomed = connectionFactory(this.server.configuration());
		LockTemplate vanishing = instance(FAIR, doomed);
		CompletableFuture<Lease> vanished = vanishing.acquireAsync(key, waiting(Duration.ofMinutes(1)));
		Thread.sleep(300);
		LockTemplate next = instance(FAIR);
		CompletableFuture<Lease> nextLease = next.acquireAsync(key, waiting(Duration.ofSeconds(30)));
		Thread.sleep(300);
		// The first waiter's instance dies: it keeps its place, and the release hands
		// it the lock, which it never claims.
		doomed.destroy();
		long released = System.nanoTime();
		held.close();
		Lease taken = nextLease.get(10, TimeUnit.SECONDS);
		Duration stalled = Duration.ofNanos(System.nanoTime() - released);
		assertThat(stalled).as("time the vanished waiter held the queue up")
			.isLessThan(RedisLockStore.CLAIM_PERIOD.plusMillis(800));
		taken.close();
		vanished.cancel(false);
	}

	@Test
	void unfairWaitersOfAnotherInstanceAreNotStarvedByACallerThatKeepsComingBack() throws Exception {
		LockKey key = LockKey.of("unfair", 1);
		LockTemplate barger = instance(LockSettings.defaults());
		LockTemplate waiter = instance(LockSettings.defaults());
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger bargerTurns = new AtomicInteger();
		CompletableFuture<Void> barging = CompletableFuture.runAsync(() -> {
			while (running.get()) {
				barger.tryAcquire(key, waiting(Duration.ofSeconds(5))).ifPresent((lease) -> {
					bargerTurns.incrementAndGet();
					sleep(2);
					lease.close();
				});
			}
		});
		await().atMost(Duration.ofSeconds(5)).until(() -> bargerTurns.get() > 20);
		int before = bargerTurns.get();
		Lease lease = waiter.acquire(key, waiting(Duration.ofSeconds(10)));
		int overtaken = bargerTurns.get() - before;
		lease.close();
		running.set(false);
		barging.get(10, TimeUnit.SECONDS);
		// Turns that began before the waiter's first attempt reached Redis count too (a
		// few
		// on a loaded machine); a starved waiter is overtaken hundreds of times.
		assertThat(overtaken).as("times the waiter was overtaken").isLessThanOrEqualTo(6);
	}

	@Test
	void waitingWorksWhenTheServerRefusesPubSubAndSaysWhyOnce(CapturedOutput output) throws Exception {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", this.server.port()));
		try (StatefulRedisConnection<String, String> admin = client.connect()) {
			admin.sync()
				.aclSetuser("locks",
						AclSetuserArgs.Builder.on()
							.addPassword("secret")
							.allKeys()
							.allCommands()
							.removeCategory(AclCategory.PUBSUB));
		}
		finally {
			client.shutdown();
		}
		RedisStandaloneConfiguration restricted = this.server.configuration();
		restricted.setUsername("locks");
		restricted.setPassword("secret");
		LockKey key = LockKey.of("acl", 1);
		LockTemplate holder = instance(LockSettings.defaults(), connectionFactory(restricted));
		LockTemplate waiter = instance(LockSettings.defaults(), connectionFactory(restricted));
		for (int round = 0; round < 2; round++) {
			Lease held = holder.acquire(key, waiting(Duration.ZERO));
			CompletableFuture<Lease> next = waiter.acquireAsync(key, waiting(Duration.ofSeconds(10)));
			Thread.sleep(300);
			held.close();
			next.get(5, TimeUnit.SECONDS).close();
		}
		assertThat(output).containsOnlyOnce("Could not subscribe to the lock wake-up channel");
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
