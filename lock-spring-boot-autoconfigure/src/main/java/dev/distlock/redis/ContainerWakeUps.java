package dev.distlock.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.distlock.core.LockKey;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Wake-ups over Spring Data Redis's {@link RedisMessageListenerContainer}, for clients
 * other than Lettuce (Jedis): one plain channel per instance, subscribed at the first
 * wait on the container's own thread.
 *
 * @author Distributed Lock team
 */
final class ContainerWakeUps extends RedisWakeUps {

	private static final Log logger = LogFactory.getLog(RedisLockStore.class);

	private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);

	private final RedisMessageListenerContainer container;

	private final String prefix;

	private final Object monitor = new Object();

	private @Nullable CompletableFuture<Void> subscribed;

	private long retryAt;

	ContainerWakeUps(RedisConnectionFactory connectionFactory, RedisKeys keys, String storeId,
			Consumer<LockKey> lastWaiterLeft, WaiterGone waiterGone) {
		super(keys, lastWaiterLeft, waiterGone);
		this.prefix = keys.prefix() + "wake:";
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connectionFactory);
		// Waking a waiter never blocks: run it on the receiving thread.
		container.setTaskExecutor(Runnable::run);
		SimpleAsyncTaskExecutor subscriptionExecutor = new SimpleAsyncTaskExecutor(
				"distributed-lock-redis-subscription-");
		subscriptionExecutor.setDaemon(true);
		container.setSubscriptionExecutor(subscriptionExecutor);
		container.addMessageListener((message, pattern) -> onMessage(message.getBody()),
				new ChannelTopic(this.prefix + storeId));
		container.afterPropertiesSet();
		this.container = container;
	}

	@Override
	Boolean isSharded() {
		return false;
	}

	@Override
	CompletionStage<Void> listen(String redisKey, boolean first) {
		synchronized (this.monitor) {
			CompletableFuture<Void> current = this.subscribed;
			if (current != null && (!current.isCompletedExceptionally() || System.nanoTime() - this.retryAt < 0)) {
				return current;
			}
			this.retryAt = System.nanoTime() + RETRY_NANOS;
			CompletableFuture<Void> starting = new CompletableFuture<>();
			this.subscribed = starting;
			Thread thread = new Thread(() -> {
				try {
					this.container.start();
					starting.complete(null);
				}
				catch (RuntimeException ex) {
					this.container.stop();
					starting.completeExceptionally(ex);
				}
			}, "distributed-lock-redis-subscribe");
			thread.setDaemon(true);
			thread.start();
			return starting;
		}
	}

	@Override
	void unlisten(String redisKey) {
	}

	@Override
	public void close() {
		try {
			this.container.destroy();
		}
		catch (Exception ex) {
			logger.debug("Failed to close the lock wake-up subscription", ex);
		}
	}

}
