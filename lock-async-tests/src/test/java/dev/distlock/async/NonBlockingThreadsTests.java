package dev.distlock.async;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockTemplate;
import dev.distlock.jdbc.JdbcLockSchema;
import dev.distlock.jdbc.JdbcLockStore;
import dev.distlock.jdbc.TestDatabases;
import dev.distlock.reactive.ReactiveLockTemplate;
import dev.distlock.redis.RedisLockStore;
import dev.distlock.redis.RedisServerSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BlockHound watches every thread that must never block — Reactor's parallel scheduler,
 * Lettuce's event loops and the lock timer — while many callers lock through
 * {@code executeAsync} and {@link ReactiveLockTemplate} on Redis (non-blocking client)
 * and JDBC (blocking driver, whose statements must run on the store's own executor). Any
 * blocking call on those threads is recorded and fails the test.
 *
 * @author Distributed Lock team
 */
class NonBlockingThreadsTests {

	private static final List<String> blockingCalls = new CopyOnWriteArrayList<>();

	private static LettuceConnectionFactory redis;

	private static HikariDataSource dataSource;

	private static String table;

	private final LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

	private RedisLockStore redisStore;

	private JdbcLockStore jdbcStore;

	@BeforeAll
	static void installBlockHound() {
		BlockHound.builder()
			.nonBlockingThreadPredicate((predicate) -> predicate.or(NonBlockingThreadsTests::mustNotBlock))
			// An idle pool thread waiting for its next task is not blocking anyone.
			.allowBlockingCallsInside(ThreadPoolExecutor.class.getName(), "getTask")
			// This test's own pipeline (flatMap of subscribeOn(parallel())) subscribes
			// its next caller from whichever thread completed the last: Reactor queueing
			// that task may wait a moment for its scheduler's queue lock. That is the
			// test's Reactor, not the library's code, which never schedules through
			// Reactor.
			.allowBlockingCallsInside("reactor.core.scheduler.Schedulers", "workerSchedule")
			.blockingMethodCallback((method) -> blockingCalls
				.add(method + " on " + Thread.currentThread().getName() + "\n" + stack(new Throwable())))
			.install();
		redis = RedisServerSupport.lettuce(RedisServerSupport.sharedServer());
		dataSource = TestDatabases.pool(TestDatabases.h2Url());
		table = TestDatabases.uniqueTableName();
		JdbcLockSchema.createTable(dataSource, table);
	}

	private static boolean mustNotBlock(Thread thread) {
		String name = thread.getName();
		return name.startsWith("lettuce-nioEventLoop") || name.startsWith("lettuce-epollEventLoop")
				|| name.equals("distributed-lock-timer");
	}

	@AfterAll
	static void close() {
		redis.destroy();
		dataSource.close();
	}

	@BeforeEach
	void createStores() {
		blockingCalls.clear();
		this.redisStore = new RedisLockStore(redis, "blockhound:");
		this.jdbcStore = new JdbcLockStore(dataSource, table);
	}

	@AfterEach
	void closeStores() {
		this.scheduler.close();
		this.redisStore.close();
		this.jdbcStore.close();
	}

	@Test
	void reactiveCallersOnTheParallelSchedulerNeverBlockOnRedis() {
		assertReactiveCallersNeverBlock(this.redisStore);
	}

	@Test
	void reactiveCallersOnTheParallelSchedulerNeverBlockOnJdbc() {
		assertReactiveCallersNeverBlock(this.jdbcStore);
	}

	@Test
	void asyncCallersOnTheParallelSchedulerNeverBlockOnRedis() throws Exception {
		assertAsyncCallersNeverBlock(this.redisStore);
	}

	@Test
	void asyncCallersOnTheParallelSchedulerNeverBlockOnJdbc() throws Exception {
		assertAsyncCallersNeverBlock(this.jdbcStore);
	}

	private void assertReactiveCallersNeverBlock(LockStore store) {
		ReactiveLockTemplate reactive = new ReactiveLockTemplate(template(store));
		LockKey key = LockKey.of("blockhound-reactive", store.storeName());
		AtomicInteger inside = new AtomicInteger();
		Integer done = Flux.range(0, 200)
			.flatMap((i) -> reactive
				.execute(key, waiting(),
						Mono.fromCallable(inside::incrementAndGet)
							.delayElement(Duration.ofMillis(1), Schedulers.parallel()))
				.subscribeOn(Schedulers.parallel()), 32)
			.count()
			.map(Long::intValue)
			.block(Duration.ofMinutes(2));
		assertThat(done).isEqualTo(200);
		assertThat(blockingCalls).isEmpty();
	}

	private void assertAsyncCallersNeverBlock(LockStore store) throws Exception {
		LockTemplate template = template(store);
		LockKey key = LockKey.of("blockhound-async", store.storeName());
		List<CompletableFuture<Integer>> results = Flux.range(0, 200)
			.publishOn(Schedulers.parallel())
			.map((i) -> template.executeAsync(key, waiting(), () -> CompletableFuture.completedFuture(i)))
			.collectList()
			.block(Duration.ofMinutes(1));
		CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
		assertThat(blockingCalls).isEmpty();
	}

	private LockTemplate template(LockStore store) {
		return LockTemplate.builder(store)
			.scheduler(this.scheduler)
			.asyncExecutor(Schedulers.parallel()::schedule)
			.build();
	}

	private static LockOptions waiting() {
		return LockOptions.builder().waitTime(Duration.ofSeconds(60)).leaseTime(Duration.ofSeconds(30)).build();
	}

	private static String stack(Throwable trace) {
		StringBuilder builder = new StringBuilder();
		StackTraceElement[] elements = trace.getStackTrace();
		for (int i = 0; i < Math.min(elements.length, 25); i++) {
			builder.append("\tat ").append(elements[i]).append('\n');
		}
		return builder.toString();
	}

}
