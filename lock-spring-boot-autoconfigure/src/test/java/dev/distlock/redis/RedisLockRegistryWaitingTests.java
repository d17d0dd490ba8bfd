package dev.distlock.redis;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.distlock.core.LockGrant;
import dev.distlock.core.LockKey;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How callers of the {@link RedisLockRegistry} wait, beyond the lock contract: across
 * instances (two registries on two connection factories) and when interrupted.
 *
 * @author Distributed Lock team
 */
class RedisLockRegistryWaitingTests {

	private static LettuceConnectionFactory connectionFactory;

	private static LettuceConnectionFactory otherConnectionFactory;

	private RedisLockRegistry registry;

	private RedisLockRegistry otherInstance;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final String namespace = "waiting-" + UUID.randomUUID();

	@BeforeAll
	static void connect() {
		connectionFactory = RedisServerSupport.lettuce(RedisServerSupport.sharedServer());
		otherConnectionFactory = RedisServerSupport.lettuce(RedisServerSupport.sharedServer());
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
		otherConnectionFactory.destroy();
	}

	@BeforeEach
	void createRegistries() {
		this.registry = new RedisLockRegistry(connectionFactory, "distlock-test:");
		this.otherInstance = new RedisLockRegistry(otherConnectionFactory, "distlock-test:");
	}

	@AfterEach
	void closeRegistries() {
		this.executor.shutdownNow();
		this.registry.close();
		this.otherInstance.close();
	}

	@Test
	void aReleaseHandsTheLockToOneOfTheWaitingInstances() throws Exception {
		LockKey key = LockKey.of(this.namespace, "instances");
		assertThat(this.registry.tryAcquire(key, "holder", Duration.ofSeconds(60), Duration.ZERO)).isPresent();
		Future<Optional<LockGrant>> here = this.executor
			.submit(() -> this.registry.tryAcquire(key, "here", Duration.ofSeconds(60), Duration.ofSeconds(20)));
		Future<Optional<LockGrant>> there = this.executor
			.submit(() -> this.otherInstance.tryAcquire(key, "there", Duration.ofSeconds(60), Duration.ofSeconds(20)));
		Thread.sleep(300);
		assertThat(this.registry.release(key, "holder")).isTrue();
		// The lease of 60 s rules out a timed retry: only the release can have
		// woken them.
		Future<Optional<LockGrant>> first = awaitFirst(here, there);
		Future<Optional<LockGrant>> second = (first == here) ? there : here;
		String firstOwner = (first == here) ? "here" : "there";
		RedisLockRegistry firstRegistry = (first == here) ? this.registry : this.otherInstance;
		assertThat(first.get().orElseThrow().fencingToken()).isPositive();
		Thread.sleep(200);
		assertThat(second).as("the loser waits on").isNotDone();
		assertThat(firstRegistry.release(key, firstOwner)).isTrue();
		assertThat(second.get(5, TimeUnit.SECONDS)).isPresent();
	}

	@Test
	void anInterruptedWaiterStopsWaiting() throws Exception {
		LockKey key = LockKey.of(this.namespace, "interrupted");
		assertThat(this.registry.tryAcquire(key, "holder", Duration.ofSeconds(60), Duration.ZERO)).isPresent();
		Future<Optional<LockGrant>> waiter = this.executor
			.submit(() -> this.registry.tryAcquire(key, "waiter", Duration.ofSeconds(60), Duration.ofSeconds(30)));
		Thread.sleep(300);
		waiter.cancel(true);
		Thread.sleep(200);
		assertThat(this.registry.release(key, "holder")).isTrue();
		assertThat(this.otherInstance.tryAcquire(key, "next", Duration.ofSeconds(60), Duration.ZERO))
			.as("the interrupted waiter did not take the lock")
			.isPresent();
		this.otherInstance.release(key, "next");
	}

	@Test
	void anInterruptedWaiterThrowsInterruptedException() throws Exception {
		LockKey key = LockKey.of(this.namespace, "interrupted-exception");
		assertThat(this.registry.tryAcquire(key, "holder", Duration.ofSeconds(60), Duration.ZERO)).isPresent();
		Thread waiterThread = Thread.currentThread();
		this.executor.submit(() -> {
			Thread.sleep(300);
			waiterThread.interrupt();
			return null;
		});
		try {
			assertThatExceptionOfType(InterruptedException.class).isThrownBy(
					() -> this.registry.tryAcquire(key, "waiter", Duration.ofSeconds(60), Duration.ofSeconds(30)));
		}
		finally {
			Thread.interrupted();
			this.registry.release(key, "holder");
		}
	}

	private static Future<Optional<LockGrant>> awaitFirst(Future<Optional<LockGrant>> one,
			Future<Optional<LockGrant>> other) throws InterruptedException, ExecutionException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() < deadline) {
			if (one.isDone()) {
				return one;
			}
			if (other.isDone()) {
				return other;
			}
			Thread.sleep(5);
		}
		throw new AssertionError("No waiter acquired the lock within 5 s of its release");
	}

}
