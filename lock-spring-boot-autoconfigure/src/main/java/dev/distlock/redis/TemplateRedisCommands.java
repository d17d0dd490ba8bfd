package dev.distlock.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

/**
 * Script calls through Spring Data Redis's blocking connection API, for clients that
 * block (Jedis) or factories other than Lettuce's. They run on a small executor of their
 * own, threads named {@code distributed-lock-redis-N} (as many as there are processors,
 * at least two), unless the caller blocks anyway.
 *
 * @author Distributed Lock team
 */
final class TemplateRedisCommands implements RedisCommands {

	private final RedisConnectionFactory connectionFactory;

	private final ExecutorService executor;

	private volatile @Nullable Boolean cluster;

	TemplateRedisCommands(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
		int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (runnable) -> {
					Thread thread = new Thread(runnable, "distributed-lock-redis-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		this.executor = executor;
	}

	@Override
	public CompletableFuture<Object> eval(LuaScript script, byte[][] keys, byte[][] args) {
		byte[][] keysAndArgs = new byte[keys.length + args.length][];
		System.arraycopy(keys, 0, keysAndArgs, 0, keys.length);
		System.arraycopy(args, 0, keysAndArgs, keys.length, args.length);
		ReturnType type = script.returnsList() ? ReturnType.MULTI : ReturnType.INTEGER;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Object result;
			try {
				result = connection.scriptingCommands().evalSha(script.sha1(), type, keys.length, keysAndArgs);
			}
			catch (RedisSystemException | InvalidDataAccessApiUsageException ex) {
				if (!isNoScript(ex)) {
					throw ex;
				}
				result = connection.scriptingCommands().eval(script.body(), type, keys.length, keysAndArgs);
			}
			return CompletableFuture.completedFuture(result);
		}
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message != null && message.contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	@Override
	public boolean isCluster() {
		Boolean cluster = this.cluster;
		if (cluster == null) {
			// Asked on the store's executor (renewals), never on a non-blocking thread.
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				cluster = connection instanceof RedisClusterConnection;
			}
			this.cluster = cluster;
		}
		return cluster;
	}

	@Override
	public @Nullable Executor blockingExecutor() {
		return this.executor;
	}

	@Override
	public String ping() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return String.valueOf(connection.ping());
		}
	}

	@Override
	public @Nullable String serverVersion() {
		return RedisServerInfo.version(this.connectionFactory);
	}

	@Override
	public void close() {
		this.executor.shutdown();
	}

}
