package dev.distlock.redis;

import java.util.Properties;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Reads facts about the Redis server the store talks to.
 *
 * @author Distributed Lock team
 */
final class RedisServerInfo {

	private RedisServerInfo() {
	}

	static @Nullable String version(RedisConnectionFactory connectionFactory) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			Properties info = connection.serverCommands().info("server");
			if (info == null) {
				return null;
			}
			String version = info.getProperty("redis_version");
			if (version == null) {
				// Clusters answer per node: "<host>:<port>.redis_version".
				for (String name : info.stringPropertyNames()) {
					if (name.endsWith("redis_version")) {
						return info.getProperty(name);
					}
				}
			}
			return version;
		}
	}

	/**
	 * Return whether a server version has sharded pub/sub ({@code SSUBSCRIBE}), Redis 7
	 * or later.
	 * @param version the version, such as {@code 7.0.15}
	 * @return whether it supports sharded pub/sub
	 */
	static boolean hasShardedPubSub(@Nullable String version) {
		if (version == null) {
			return false;
		}
		int dot = version.indexOf('.');
		try {
			return Integer.parseInt((dot > 0) ? version.substring(0, dot) : version) >= 7;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

}
