package dev.distlock.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.distlock.core.LockKey;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Wake-ups over a pub/sub connection of Lettuce's own, made from the application's
 * {@link LettuceConnectionFactory} client: one plain channel per instance
 * ({@code SUBSCRIBE}), or on a Redis 7 Cluster one sharded channel per waited key
 * ({@code SSUBSCRIBE}), subscribed while this instance has waiters of the key. The
 * connection is opened at the first wait, on a short-lived thread (opening a connection
 * and reading the server version block), and Lettuce subscribes again after a reconnect.
 *
 * @author Distributed Lock team
 */
final class LettuceWakeUps extends RedisWakeUps {

	private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);

	private final LettuceConnectionFactory connectionFactory;

	private final boolean cluster;

	private final String plainChannel;

	private final String shardedSuffix;

	private final Object monitor = new Object();

	private @Nullable CompletableFuture<Opened> connection;

	private @Nullable CompletableFuture<Void> subscribed;

	private long retryAt;

	private volatile @Nullable Boolean sharded;

	private volatile boolean closed;

	LettuceWakeUps(LettuceConnectionFactory connectionFactory, boolean cluster, RedisKeys keys, String storeId,
			Consumer<LockKey> lastWaiterLeft, WaiterGone waiterGone) {
		super(keys, lastWaiterLeft, waiterGone);
		this.connectionFactory = connectionFactory;
		this.cluster = cluster;
		this.plainChannel = keys.prefix() + "wake:" + storeId;
		this.shardedSuffix = ":wake:" + storeId;
	}

	@Override
	@Nullable Boolean isSharded() {
		return this.sharded;
	}

	@Override
	CompletionStage<Void> listen(String redisKey, boolean first) {
		return connection().thenCompose((opened) -> {
			if (opened.sharded()) {
				return first ? opened.pubSub().async().ssubscribe(LuaScript.bytes(redisKey + this.shardedSuffix))
						: CompletableFuture.completedFuture(null);
			}
			return subscribePlain(opened);
		});
	}

	private CompletionStage<Void> subscribePlain(Opened opened) {
		synchronized (this.monitor) {
			CompletableFuture<Void> current = this.subscribed;
			if (current != null && (!current.isCompletedExceptionally() || System.nanoTime() - this.retryAt < 0)) {
				return current;
			}
			this.retryAt = System.nanoTime() + RETRY_NANOS;
			current = opened.pubSub().async().subscribe(LuaScript.bytes(this.plainChannel)).toCompletableFuture();
			this.subscribed = current;
			return current;
		}
	}

	@Override
	void unlisten(String redisKey) {
		CompletableFuture<Opened> current;
		synchronized (this.monitor) {
			current = this.connection;
		}
		if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
			Opened opened = current.join();
			if (opened.sharded()) {
				opened.pubSub().async().sunsubscribe(LuaScript.bytes(redisKey + this.shardedSuffix));
			}
		}
	}

	private CompletableFuture<Opened> connection() {
		synchronized (this.monitor) {
			CompletableFuture<Opened> current = this.connection;
			if (current != null && (!current.isCompletedExceptionally() || System.nanoTime() - this.retryAt < 0)) {
				return current;
			}
			this.retryAt = System.nanoTime() + RETRY_NANOS;
			CompletableFuture<Opened> opening = new CompletableFuture<>();
			this.connection = opening;
			Thread thread = new Thread(() -> {
				try {
					opening.complete(open());
				}
				catch (RuntimeException ex) {
					opening.completeExceptionally(ex);
				}
			}, "distributed-lock-redis-subscribe");
			thread.setDaemon(true);
			thread.start();
			return opening;
		}
	}

	private Opened open() {
		boolean useSharded = this.cluster && RedisServerInfo.hasShardedPubSub(safeVersion());
		AbstractRedisClient client = this.connectionFactory.getRequiredNativeClient();
		StatefulRedisPubSubConnection<byte[], byte[]> pubSub;
		if (client instanceof RedisClusterClient clusterClient) {
			StatefulRedisClusterPubSubConnection<byte[], byte[]> clusterPubSub = clusterClient
				.connectPubSub(ByteArrayCodec.INSTANCE);
			clusterPubSub.addListener(new RedisClusterPubSubAdapter<>() {

				@Override
				public void message(RedisClusterNode node, byte[] channel, byte[] message) {
					onMessage(message);
				}

				@Override
				public void smessage(RedisClusterNode node, byte[] channel, byte[] message) {
					onMessage(message);
				}

			});
			pubSub = clusterPubSub;
		}
		else {
			pubSub = ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
			pubSub.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void message(byte[] channel, byte[] message) {
					onMessage(message);
				}

				@Override
				public void smessage(byte[] channel, byte[] message) {
					onMessage(message);
				}

			});
		}
		if (this.closed) {
			pubSub.close();
			throw new IllegalStateException("The Redis lock store is closed");
		}
		this.sharded = useSharded;
		return new Opened(pubSub, useSharded);
	}

	private @Nullable String safeVersion() {
		try {
			return RedisServerInfo.version(this.connectionFactory);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	@Override
	public void close() {
		this.closed = true;
		CompletableFuture<Opened> current;
		synchronized (this.monitor) {
			current = this.connection;
			this.connection = null;
		}
		if (current != null) {
			current.thenAccept((opened) -> opened.pubSub().closeAsync());
		}
	}

	private record Opened(StatefulRedisPubSubConnection<byte[], byte[]> pubSub, boolean sharded) {

	}

}
