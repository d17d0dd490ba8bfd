package dev.distlock.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

/**
 * How the Redis store talks to Redis: script calls through the application's connection
 * factory, non-blocking where the client allows it.
 *
 * @author Distributed Lock team
 */
interface RedisCommands extends AutoCloseable {

	/**
	 * Run a script by its digest, loading it first if the server does not know it.
	 * @param script the script
	 * @param keys its keys
	 * @param args its arguments
	 * @return a {@link Long} or a {@code List<Long>}, as the script returns
	 */
	CompletableFuture<Object> eval(LuaScript script, byte[][] keys, byte[][] args);

	/**
	 * Return whether the connection factory talks to a Redis Cluster.
	 * @return whether the server is a cluster
	 */
	boolean isCluster();

	/**
	 * Return the executor that blocking calls run on, or {@code null} if the client does
	 * not block.
	 * @return the executor
	 */
	@Nullable Executor blockingExecutor();

	/**
	 * Send {@code PING}, blocking.
	 * @return the answer
	 */
	String ping();

	/**
	 * Return the server's version ({@code redis_version}), blocking.
	 * @return the version, or {@code null} if unknown
	 */
	@Nullable String serverVersion();

	@Override
	void close();

}
