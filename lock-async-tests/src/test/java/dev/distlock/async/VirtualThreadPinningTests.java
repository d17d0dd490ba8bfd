package dev.distlock.async;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockTemplate;
import dev.distlock.jdbc.JdbcLockSchema;
import dev.distlock.jdbc.JdbcLockStore;
import dev.distlock.jdbc.TestDatabases;
import dev.distlock.memory.InMemoryLockStore;
import dev.distlock.redis.RedisLockStore;
import dev.distlock.redis.RedisServerSupport;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Blocking callers on virtual threads (Java 21 and later): exclusion holds, and JFR's
 * {@code jdk.VirtualThreadPinned} records no pinning with a frame of this library on the
 * acquire/release path, for the in-memory, Redis (Lettuce), H2 and PostgreSQL stores.
 * Skipped, and reported as skipped, on older JDKs (CI runs it on Temurin 25).
 *
 * @author Distributed Lock team
 */
class VirtualThreadPinningTests {

	private static LettuceConnectionFactory redis;

	private static HikariDataSource h2;

	private static HikariDataSource postgres;

	private static String table;

	@BeforeAll
	static void startServers() {
		if (!hasVirtualThreads()) {
			return;
		}
		redis = RedisServerSupport.lettuce(RedisServerSupport.sharedServer());
		table = TestDatabases.uniqueTableName();
		h2 = TestDatabases.pool(TestDatabases.h2Url());
		JdbcLockSchema.createTable(h2, table);
		postgres = TestDatabases.pool(TestDatabases.postgresUrl());
		JdbcLockSchema.createTable(postgres, table);
	}

	@AfterAll
	static void close() {
		if (redis != null) {
			redis.destroy();
		}
		if (h2 != null) {
			h2.close();
		}
		if (postgres != null) {
			TestDatabases.dropTable(postgres, table);
			postgres.close();
		}
	}

	private static boolean hasVirtualThreads() {
		return Runtime.version().feature() >= 21;
	}

	@Test
	void noPinningOnTheAcquireAndReleasePath(@TempDir Path directory) throws Exception {
		assumeThat(hasVirtualThreads()).as("a JDK with virtual threads (21 or later)").isTrue();
		List<Supplier<LockStore>> stores = List.of(InMemoryLockStore::new, () -> new RedisLockStore(redis, "virtual:"),
				() -> new JdbcLockStore(h2, table), () -> new JdbcLockStore(postgres, table));
		// Once without recording: drivers pin while they load their classes the first
		// time.
		for (Supplier<LockStore> store : stores) {
			lockOnVirtualThreads(store);
		}
		Path file = directory.resolve("pinning.jfr");
		try (Recording recording = new Recording()) {
			recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
			recording.start();
			for (Supplier<LockStore> store : stores) {
				lockOnVirtualThreads(store);
			}
			recording.stop();
			recording.dump(file);
		}
		List<String> pinnedHere = new ArrayList<>();
		for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
			if (event.getEventType().getName().equals("jdk.VirtualThreadPinned") && event.getStackTrace() != null) {
				// Who pinned: the innermost frame that is not the JDK's own.
				event.getStackTrace()
					.getFrames()
					.stream()
					.map((frame) -> frame.getMethod().getType().getName())
					.filter((type) -> !type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun."))
					.findFirst()
					.filter((type) -> type.startsWith("dev.distlock."))
					.ifPresent((type) -> pinnedHere.add(event.toString()));
			}
		}
		assertThat(Files.size(file)).isPositive();
		assertThat(pinnedHere).as("virtual threads pinned by the library's own code").isEmpty();
	}

	private void lockOnVirtualThreads(Supplier<LockStore> stores) throws Exception {
		LockStore store = stores.get();
		LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();
		LockTemplate template = LockTemplate.builder(store).scheduler(scheduler).build();
		LockKey key = LockKey.of("virtual", store.storeName(), store.getClass().getSimpleName());
		LockOptions options = LockOptions.builder().waitTime(Duration.ofSeconds(60)).build();
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger maxInside = new AtomicInteger();
		ExecutorService executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
			.invoke(null);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < 32; t++) {
				futures.add(executor.submit(() -> {
					for (int i = 0; i < 10; i++) {
						template.execute(key, options, () -> {
							maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
							Thread.sleep(1);
							inside.decrementAndGet();
							return null;
						});
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
			scheduler.close();
			if (store instanceof AutoCloseable closeable) {
				closeable.close();
			}
		}
		assertThat(maxInside.get()).isEqualTo(1);
	}

}
