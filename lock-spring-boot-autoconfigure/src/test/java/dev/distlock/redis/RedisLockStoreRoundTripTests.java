package dev.distlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.FaultyLockStore;
import dev.distlock.core.HandOverResult;
import dev.distlock.core.HotKeyTurns;
import dev.distlock.core.Lease;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockStores;
import dev.distlock.core.LockTemplate;
import dev.distlock.core.LockWaitListener;
import dev.distlock.core.WaitSubscription;
import dev.distlock.redis.RedisServerSupport.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the {@link RedisLockStore} sends to Redis, counted by the server itself
 * ({@code INFO commandstats}) on a private embedded server, so that no other client's
 * commands are counted: round trips per operation, and messages per release.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class RedisLockStoreRoundTripTests {

	private EmbeddedRedis server;

	private final List<LettuceConnectionFactory> connectionFactories = new ArrayList<>();

	private final List<RedisLockStore> stores = new ArrayList<>();

	private final List<LeaseRenewalScheduler> schedulers = new ArrayList<>();

	private RedisClient adminClient;

	private StatefulRedisConnection<String, String> adminConnection;

	private RedisCommands<String, String> admin;

	@BeforeEach
	void startServer() {
		this.server = RedisServerSupport.startServer();
		this.adminClient = RedisClient.create(RedisURI.create("127.0.0.1", this.server.port()));
		this.adminConnection = this.adminClient.connect();
		this.admin = this.adminConnection.sync();
	}

	@AfterEach
	void stopServer() {
		this.schedulers.forEach(LeaseRenewalScheduler::close);
		this.stores.forEach(RedisLockStore::close);
		this.connectionFactories.forEach(LettuceConnectionFactory::destroy);
		this.adminConnection.close();
		this.adminClient.shutdown();
		this.server.close();
	}

	/** Another instance of the application: its own connection factory and store. */
	private RedisLockStore instance() {
		LettuceConnectionFactory connectionFactory = RedisServerSupport.lettuce(this.server.configuration());
		this.connectionFactories.add(connectionFactory);
		RedisLockStore store = new RedisLockStore(connectionFactory, "lock:");
		this.stores.add(store);
		return store;
	}

	private LockTemplate template(dev.distlock.core.LockStore store) {
		LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();
		this.schedulers.add(scheduler);
		return LockTemplate.builder(store).scheduler(scheduler).build();
	}

	@Test
	void uncontendedAcquireAndReleaseAreTwoScriptCallsAndNoMessage() {
		LockTemplate template = template(instance());
		// Connects the client and loads the scripts (NOSCRIPT, then EVAL), both once
		// per server: not what an acquire costs.
		template.execute(LockKey.of("round_trips", "warm-up"), () -> null);
		this.admin.configResetstat();

		template.execute(LockKey.of("round_trips", 42), () -> null);

		Map<String, Long> calls = commandCalls();
		assertThat(calls.remove("evalsha")).as("commands sent by the client").isEqualTo(2);
		// The rest ran inside the two scripts (Redis counts them too): no round trips,
		// and no PUBLISH since nobody waits.
		assertThat(calls)
			.containsExactlyInAnyOrderEntriesOf(Map.of("set", 2L, "get", 2L, "time", 1L, "exists", 1L, "del", 1L));
	}

	@Test
	void renewIsOneScriptCall() {
		RedisLockStore store = instance();
		LockKey key = LockKey.of("round_trips", "renew");
		LockStores.acquire(store, key, "owner", Duration.ofSeconds(30)).orElseThrow();
		assertThat(LockStores.renew(store, key, "owner", Duration.ofSeconds(30))).isTrue();
		this.admin.configResetstat();
		assertThat(LockStores.renew(store, key, "owner", Duration.ofSeconds(30))).isTrue();
		Map<String, Long> calls = commandCalls();
		assertThat(calls.remove("evalsha")).isEqualTo(1);
		assertThat(calls).containsExactlyInAnyOrderEntriesOf(Map.of("get", 1L, "pexpire", 1L));
	}

	@Test
	void keysAreReadableAndShareAHashTag() {
		RedisLockStore store = instance();
		LockKey key = LockKey.of("token_refresh", 42);
		long token = LockStores.acquire(store, key, "owner-1", Duration.ofSeconds(30)).orElseThrow();
		assertThat(this.admin.keys("lock:*")).containsExactlyInAnyOrder("lock:{token_refresh:42}",
				"lock:{token_refresh:42}:fence");
		assertThat(this.admin.get("lock:{token_refresh:42}")).isEqualTo("owner-1");
		assertThat(this.admin.pttl("lock:{token_refresh:42}")).isBetween(25_000L, 30_000L);
		assertThat(this.admin.get("lock:{token_refresh:42}:fence")).isEqualTo(Long.toString(token));
		assertThat(this.admin.pttl("lock:{token_refresh:42}:fence")).as("the fencing counter's retention")
			.isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
		assertThat(LockStores.release(store, key, "owner-1")).isTrue();
		assertThat(this.admin.keys("lock:*")).containsExactly("lock:{token_refresh:42}:fence");
	}

	@Test
	void fencingTokensAreNeverBelowTheServerClockInMicroseconds() {
		RedisLockStore store = instance();
		LockKey key = LockKey.of("fencing", "clock");
		List<String> before = this.admin.time();
		long micros = Long.parseLong(before.get(0)) * 1_000_000 + Long.parseLong(before.get(1));
		long token = LockStores.acquire(store, key, "owner", Duration.ofSeconds(30)).orElseThrow();
		assertThat(token).isGreaterThanOrEqualTo(micros);
		LockStores.release(store, key, "owner");
		// A counter ahead of the clock (such as after the clock stepped back) still wins.
		long ahead = micros + Duration.ofHours(1).toNanos() / 1000;
		this.admin.set(store.fencingCounterKey(key), Long.toString(ahead));
		assertThat(LockStores.acquire(store, key, "owner", Duration.ofSeconds(30))).hasValue(ahead + 1);
		LockStores.release(store, key, "owner");
	}

	@Test
	void aReleaseReachesOnlyTheOneInstanceOfEightThatWaits() throws Exception {
		LockKey key = LockKey.of("targeted", 1);
		List<RedisLockStore> instances = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			instances.add(instance());
		}
		// Every instance has waited once before, so each has its own subscription.
		for (RedisLockStore instance : instances) {
			LockKey warmUp = LockKey.of("targeted", "warm-up-" + instances.indexOf(instance));
			Lease held = template(instances.get(0)).acquire(warmUp, LockOptions.defaults());
			CompletableFuture<Lease> waited = template(instance).acquireAsync(warmUp,
					LockOptions.builder().waitTime(Duration.ofSeconds(10)).build());
			Thread.sleep(100);
			held.close();
			waited.get(10, TimeUnit.SECONDS).close();
		}
		Lease holder = template(instances.get(0)).acquire(key, LockOptions.defaults());
		CompletableFuture<Lease> waiter = template(instances.get(5)).acquireAsync(key,
				LockOptions.builder().waitTime(Duration.ofSeconds(20)).build());
		Thread.sleep(300);
		this.admin.configResetstat();

		holder.close();
		waiter.get(5, TimeUnit.SECONDS).close();

		assertThat(commandCalls().getOrDefault("publish", 0L)).as("messages for one release").isEqualTo(1);
		List<String> channels = this.admin.pubsubChannels("lock:wake:*");
		assertThat(channels).as("one channel per instance").hasSize(8);
		channels.forEach((channel) -> assertThat(this.admin.pubsubNumsub(channel)).containsEntry(channel, 1L));
	}

	@Test
	void aReleaseWithWaitersOnFourInstancesHandsTheLockToOneOfThemWithoutAnotherRoundTrip() throws Exception {
		LockKey key = LockKey.of("no_storm", 1);
		LockTemplate holderTemplate = template(instance());
		Lease holder = holderTemplate.acquire(key, LockOptions.defaults());
		List<FaultyLockStore> waiters = new ArrayList<>();
		List<CompletableFuture<Lease>> leases = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			FaultyLockStore counted = new FaultyLockStore(instance());
			waiters.add(counted);
			leases.add(template(counted).acquireAsync(key,
					LockOptions.builder().waitTime(Duration.ofSeconds(30)).leaseTime(Duration.ofSeconds(30)).build()));
		}
		Thread.sleep(500);
		int before = waiters.stream().mapToInt(FaultyLockStore::acquireCalls).sum();
		this.admin.configResetstat();
		holder.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> leases.stream().anyMatch(CompletableFuture::isDone));
		Thread.sleep(200);
		// The release handed the lock to the candidate of one waiting instance and sent
		// it
		// the fencing token: no instance needed an attempt, and one message went out.
		int attempts = waiters.stream().mapToInt(FaultyLockStore::acquireCalls).sum() - before;
		assertThat(attempts).as("acquire attempts after one release").isZero();
		assertThat(leases.stream().filter(CompletableFuture::isDone).count()).as("waiters served").isOne();
		assertThat(commandCalls()).containsEntry("publish", 1L);
		for (CompletableFuture<Lease> lease : leases) {
			lease.cancel(false);
			if (lease.isDone() && !lease.isCancelled()) {
				lease.join().close();
			}
		}
	}

	@Test
	void renewingAThousandLeasesDueTogetherTakesFewRoundTrips() throws Exception {
		LockTemplate template = template(instance());
		List<Lease> leases = Collections.synchronizedList(new ArrayList<>());
		LockOptions renewing = LockOptions.builder().leaseTime(Duration.ofSeconds(6)).autoRenew(true).build();
		try {
			// Acquired together (asynchronously, so a slow machine does not spread them
			// over seconds): their renewals fall due together.
			List<CompletableFuture<Lease>> acquired = new ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				acquired.add(template.acquireAsync(LockKey.of("renew_batch", i), renewing));
			}
			for (CompletableFuture<Lease> lease : acquired) {
				leases.add(lease.get(1, TimeUnit.MINUTES));
			}
			this.admin.configResetstat();
			// Renewal falls due at a third of the lease: 2 seconds.
			await().atMost(Duration.ofSeconds(10)).until(() -> commandCalls().getOrDefault("pexpire", 0L) >= 1000);
			long scripts = commandCalls().getOrDefault("evalsha", 0L);
			assertThat(scripts).as("round trips to renew 1,000 leases").isLessThanOrEqualTo(10);
		}
		finally {
			leases.forEach(Lease::close);
		}
	}

	@Test
	void aHotKeyChangesHandsWithinAnInstanceInOneScriptCallPerHold() throws Exception {
		LockTemplate template = template(instance());
		LockKey key = LockKey.of("hand_over", 1);
		LockOptions waiting = LockOptions.builder().waitTime(Duration.ofSeconds(30)).build();
		template.execute(key, waiting, () -> null);
		this.admin.configResetstat();
		List<Long> tokens = Collections.synchronizedList(new ArrayList<>());
		List<String> holders = Collections.synchronizedList(new ArrayList<>());
		int threads = 4;
		int holdsEach = 50;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(executor.submit(() -> {
					for (int i = 0; i < holdsEach; i++) {
						template.execute(key, waiting, () -> {
							tokens.add(template.heldLocks().get(0).fencingToken());
							holders.add(Thread.currentThread().getName());
							return null;
						});
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(1, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
		int holds = threads * holdsEach;
		assertThat(tokens).hasSize(holds).isSorted().doesNotHaveDuplicates();
		long changes = 0;
		for (int i = 1; i < holders.size(); i++) {
			if (!holders.get(i).equals(holders.get(i - 1))) {
				changes++;
			}
		}
		assertThat(changes).as("holds that went to another thread than the previous holder")
			.isGreaterThanOrEqualTo(holds / 2);
		// A release and an acquire would be two script calls per hold; a hand-over is
		// one. A few more are attempts of callers that found no waiter to queue behind
		// (a thread's first wait, and whenever nobody else was waiting at that moment).
		assertThat(commandCalls().get("evalsha")).as("script calls for " + holds + " holds")
			.isLessThanOrEqualTo(holds * 6L / 5);
	}

	@Test
	void instancesTakeTurnsOnAHotKeyInsteadOfOneKeepingItWithinItself() throws Exception {
		LockKey key = LockKey.of("hand_over", 2);
		LockOptions waiting = LockOptions.builder().waitTime(Duration.ofSeconds(30)).build();
		List<Integer> holders = HotKeyTurns.holders(List.of(template(instance()), template(instance())), key, waiting,
				40, Duration.ofMinutes(1));
		int longestRun = HotKeyTurns.longestRun(holders, 160);
		// An instance keeps the lock through at most four hand-overs in a row while the
		// other waits; a little more when the other was between two waits.
		assertThat(longestRun).as("longest run of holds by one instance in " + holders).isLessThanOrEqualTo(10);
	}

	@Test
	void anInstanceHandingOverLocallyKeepsItsPlaceSoThatTheOtherInstanceYieldsBack() {
		// Instance a's place in the queue was dropped (its last subscribed waiter had
		// just
		// left) while another of its callers was about to wait: a hand-over to that
		// caller must put the place back, or instance b would stop yielding to it.
		RedisLockStore a = instance();
		RedisLockStore b = instance();
		LockKey key = LockKey.of("hand_over", "place");
		Duration wait = Duration.ofSeconds(30);
		assertThat(a.tryAcquire(request(key, "a1", Duration.ZERO)).toCompletableFuture().join().isAcquired()).isTrue();
		assertThat(b.tryAcquire(request(key, "b1", wait)).toCompletableFuture().join().isAcquired()).isFalse();

		// a yields to b (its turn is over), and a2 waits for a's next turn.
		HandOverResult yielded = a.handOver(key, "a1", request(key, "a2", wait), true).toCompletableFuture().join();
		assertThat(yielded.released()).isTrue();
		assertThat(yielded.next().isAcquired()).isFalse();
		assertThat(b.tryAcquire(request(key, "b1", wait)).toCompletableFuture().join().isAcquired()).isTrue();

		// b's turn is over too: a waits (its place is back), so b yields to a.
		HandOverResult back = b.handOver(key, "b1", request(key, "b2", wait), true).toCompletableFuture().join();
		assertThat(back.next().isAcquired()).as("b2 handed the lock although a waits").isFalse();
		assertThat(a.tryAcquire(request(key, "a2", wait)).toCompletableFuture().join().isAcquired()).isTrue();
	}

	@Test
	void aReleaseHandsTheLockToTheWaitingInstancesCandidateWithItsFencingToken() throws Exception {
		RedisLockStore a = instance();
		RedisLockStore b = instance();
		LockKey key = LockKey.of("hand_over", "direct");
		long held = a.tryAcquire(request(key, "a1", Duration.ZERO)).toCompletableFuture().join().fencingToken();
		long before = System.nanoTime();
		assertThat(b.tryAcquire(request(key, "b1", Duration.ofSeconds(30))).toCompletableFuture().join().isAcquired())
			.isFalse();
		long after = System.nanoTime();
		CompletableFuture<long[]> granted = new CompletableFuture<>();
		WaitSubscription subscription = b.subscribe(key, "b1", new LockWaitListener() {

			@Override
			public boolean released() {
				granted.completeExceptionally(new AssertionError("woken to attempt, not handed the lock"));
				return true;
			}

			@Override
			public boolean granted(long fencingToken, long validFromNanos, Duration validFor) {
				granted.complete(new long[] { fencingToken, validFromNanos, validFor.toMillis() });
				return true;
			}

		});
		subscription.ready().toCompletableFuture().get(5, TimeUnit.SECONDS);
		this.admin.configResetstat();

		assertThat(a.release(key, "a1").toCompletableFuture().join()).isTrue();

		long[] grant = granted.get(5, TimeUnit.SECONDS);
		assertThat(grant[0]).as("fencing token").isGreaterThan(held);
		assertThat(grant[1]).as("valid from: when b1's attempt was sent").isBetween(before, after);
		assertThat(grant[2]).as("valid for").isEqualTo(RedisLockStore.CLAIM_PERIOD.toMillis());
		assertThat(this.admin.get(b.redisKey(key))).isEqualTo("b1");
		assertThat(this.admin.pttl(b.redisKey(key))).isBetween(1L, RedisLockStore.CLAIM_PERIOD.toMillis());
		assertThat(commandCalls()).as("one script call (the release) and one message")
			.containsEntry("evalsha", 1L)
			.containsEntry("publish", 1L);
		// The new holder extends it to its lease with an ordinary renewal.
		assertThat(LockStores.renew(b, key, "b1", Duration.ofSeconds(30))).isTrue();
		assertThat(this.admin.pttl(b.redisKey(key))).isGreaterThan(RedisLockStore.CLAIM_PERIOD.toMillis());
		subscription.close();
	}

	@Test
	void passingOnALockHandedToAGoneWaiterLeavesItAloneOnceThatWaiterClaimedIt() throws Exception {
		RedisLockStore a = instance();
		RedisLockStore b = instance();
		LockKey key = LockKey.of("hand_over", "pass");
		String lock = b.redisKey(key);
		Duration wait = Duration.ofSeconds(30);
		// Handed to b1 (fair: the release hands the lock to the first waiter), not
		// claimed.
		assertThat(a.tryAcquire(fairRequest(key, "a1", Duration.ZERO)).toCompletableFuture().join().isAcquired())
			.isTrue();
		assertThat(b.tryAcquire(fairRequest(key, "b1", wait)).toCompletableFuture().join().isAcquired()).isFalse();
		assertThat(a.release(key, "a1").toCompletableFuture().join()).isTrue();
		assertThat(this.admin.get(lock)).isEqualTo("b1");
		assertThat(passOn(lock, "b1")).as("passed on while unclaimed").isOne();
		assertThat(this.admin.get(lock)).isNull();

		// Handed to b1 again, and claimed by an attempt of b1 before the message reached
		// b1's instance (which then finds b1 no longer waiting).
		assertThat(a.tryAcquire(fairRequest(key, "a2", Duration.ZERO)).toCompletableFuture().join().isAcquired())
			.isTrue();
		assertThat(b.tryAcquire(fairRequest(key, "b1", wait)).toCompletableFuture().join().isAcquired()).isFalse();
		assertThat(a.release(key, "a2").toCompletableFuture().join()).isTrue();
		assertThat(b.tryAcquire(fairRequest(key, "b1", wait)).toCompletableFuture().join().isAcquired()).isTrue();
		assertThat(passOn(lock, "b1")).as("passed on after b1 claimed it").isZero();
		assertThat(this.admin.get(lock)).isEqualTo("b1");
	}

	@Test
	void aLockHandedToAWaiterOfAnotherInstanceIsExtendedToTheWholeLeaseByItsFirstRenewal() throws Exception {
		RedisLockStore store = instance();
		FaultyLockStore counted = new FaultyLockStore(store);
		LockKey key = LockKey.of("hand_over", "claim");
		HandOff handOff = handOff(key, true, counted);
		Lease handed = handOff.handed();
		try {
			assertThat(counted.acquireCalls()).as("attempts after the release").isEqualTo(handOff.attemptsBefore());
			assertThat(handed.fencingToken()).isGreaterThan(handOff.firstToken());
			assertThat(handed.isValid()).isTrue();
			// Held for the claim period until the first renewal, a third into it. Redis
			// shows the extension before the renewal's answer reaches the lease, so wait
			// for both.
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.admin.pttl(store.redisKey(key)) > RedisLockStore.CLAIM_PERIOD.toMillis()
						&& handed.expiresAt().isAfter(java.time.Instant.now().plusSeconds(20)));
			assertThat(handed.isValid()).isTrue();
			assertThat(handed.expiresAt()).isAfter(java.time.Instant.now().plusSeconds(20));
		}
		finally {
			handed.close();
		}
	}

	@Test
	void aWaiterWhoseLeaseDoesNotRenewClaimsAHandedLockForItsWholeLeaseAtOnce() throws Exception {
		RedisLockStore store = instance();
		LockKey key = LockKey.of("hand_over", "fixed");
		HandOff handOff = handOff(key, false, new FaultyLockStore(store));
		Lease handed = handOff.handed();
		try {
			assertThat(this.admin.pttl(store.redisKey(key))).isGreaterThan(RedisLockStore.CLAIM_PERIOD.toMillis());
			assertThat(handed.fencingToken()).isGreaterThan(handOff.firstToken());
		}
		finally {
			handed.close();
		}
	}

	/**
	 * A holder on one instance releases while a waiter on another (through the given
	 * store) waits.
	 */
	private HandOff handOff(LockKey key, boolean autoRenew, FaultyLockStore waiting) throws Exception {
		LockOptions options = LockOptions.builder()
			.waitTime(Duration.ofSeconds(30))
			.leaseTime(Duration.ofSeconds(30))
			.autoRenew(autoRenew)
			.build();
		Lease first = template(instance()).acquire(key, options);
		CompletableFuture<Lease> second = template(waiting).acquireAsync(key, options);
		Thread.sleep(300);
		int attempts = waiting.acquireCalls();
		first.close();
		return new HandOff(first.fencingToken(), attempts, second.get(5, TimeUnit.SECONDS));
	}

	/** What the store sends when a message hands the lock to a waiter that has gone. */
	private long passOn(String lock, String owner) throws Exception {
		String script;
		try (var in = RedisLockStore.class.getResourceAsStream("release.lua")) {
			script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
		// Its place left the queue when the lock was handed to it.
		String place = "";
		String[] keys = { lock, RedisKeys.queue(lock), RedisKeys.expiry(lock), RedisKeys.woken(lock),
				RedisKeys.fence(lock), RedisKeys.candidates(lock), RedisKeys.handed(lock) };
		return this.admin.eval(script, io.lettuce.core.ScriptOutputType.INTEGER, keys, "pass", owner, place, "2000",
				"200", "lock:wake:", "0", "", "", "", "", "0", "0", "", "");
	}

	private static LockRequest request(LockKey key, String owner, Duration waiting) {
		return new LockRequest(key, owner, Duration.ofSeconds(30), waiting, false, Duration.ofSeconds(5));
	}

	private static LockRequest fairRequest(LockKey key, String owner, Duration waiting) {
		return new LockRequest(key, owner, Duration.ofSeconds(30), waiting, true, Duration.ofSeconds(5));
	}

	private Map<String, Long> commandCalls() {
		return RedisCommandStats.parse(this.admin.info("commandstats"));
	}

	private record HandOff(long firstToken, int attemptsBefore, Lease handed) {

	}

}
