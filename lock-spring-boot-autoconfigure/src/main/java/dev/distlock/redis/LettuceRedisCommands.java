package dev.distlock.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Script calls through Lettuce's asynchronous API, on the connection the application's
 * {@link LettuceConnectionFactory} shares (so every setting of
 * {@code spring.data.redis.*} applies): no thread waits for Redis.
 * <p>
 * The factory's shared native connection is looked up once, and again after it was found
 * closed; with sharing switched off (a pool), each call borrows a connection and returns
 * it when Redis answered.
 *
 * @author Distributed Lock team
 */
final class LettuceRedisCommands implements RedisCommands {

	private final LettuceConnectionFactory connectionFactory;

	private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> shared;

	LettuceRedisCommands(LettuceConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	@Override
	public CompletableFuture<Object> eval(LuaScript script, byte[][] keys, byte[][] args) {
		if (!this.connectionFactory.getShareNativeConnection()) {
			RedisConnection connection = this.connectionFactory.getConnection();
			try {
				return eval(nativeCommands(connection), script, keys, args)
					.whenComplete((result, failure) -> connection.close());
			}
			catch (RuntimeException ex) {
				connection.close();
				throw ex;
			}
		}
		RedisClusterAsyncCommands<byte[], byte[]> commands = sharedCommands();
		return eval(commands, script, keys, args).whenComplete((result, failure) -> {
			if (failure != null && isClosed(failure)) {
				// The factory closed its shared connection (a reset, a restart of the
				// factory): look it up again next time.
				this.shared = null;
			}
		});
	}

	private static boolean isClosed(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message != null && message.contains("Connection is closed")) {
				return true;
			}
		}
		return false;
	}

	private static CompletableFuture<Object> eval(RedisClusterAsyncCommands<byte[], byte[]> commands, LuaScript script,
			byte[][] keys, byte[][] args) {
		ScriptOutputType type = script.returnsList() ? ScriptOutputType.MULTI : ScriptOutputType.INTEGER;
		CompletableFuture<Object> result = commands.<Object>evalsha(script.sha1(), type, keys, args)
			.toCompletableFuture();
		return result.exceptionallyCompose((failure) -> {
			if (isNoScript(failure)) {
				// First use on this server (or after SCRIPT FLUSH, a restart, a
				// failover):
				// EVAL runs the script and caches it for the next EVALSHA.
				return commands.<Object>eval(script.body(), type, keys, args).toCompletableFuture();
			}
			return CompletableFuture.failedFuture(failure);
		});
	}

	private static boolean isNoScript(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RedisNoScriptException
					|| (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT"))) {
				return true;
			}
		}
		return false;
	}

	private RedisClusterAsyncCommands<byte[], byte[]> sharedCommands() {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.shared;
		if (commands == null) {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				commands = nativeCommands(connection);
			}
			this.shared = commands;
		}
		return commands;
	}

	@SuppressWarnings("unchecked")
	private static RedisClusterAsyncCommands<byte[], byte[]> nativeCommands(RedisConnection connection) {
		return (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
	}

	@Override
	public boolean isCluster() {
		return this.connectionFactory.isClusterAware();
	}

	@Override
	public @Nullable Executor blockingExecutor() {
		return null;
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
	}

	static List<Long> asList(Object result) {
		@SuppressWarnings("unchecked")
		List<Long> list = (List<Long>) result;
		return list;
	}

}
