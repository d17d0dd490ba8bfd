package dev.distlock.test.autoconfigure.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;

import redis.embedded.RedisServer;

/**
 * The Redis the tests lock on, never a mock: the machine's Redis when
 * {@value #URL_VARIABLE} points at it (such as {@code redis://127.0.0.1:6379}), otherwise
 * the {@code redis-server} binary of the {@code embedded-redis} jar, started once on a
 * free port and stopped when the JVM exits.
 *
 * @author Distributed Lock team
 */
final class RedisTestServer {

	static final String URL_VARIABLE = "DISTLOCK_TEST_REDIS_URL";

	private static URI uri;

	private RedisTestServer() {
	}

	static synchronized URI uri() {
		if (uri == null) {
			String configured = System.getenv(URL_VARIABLE);
			uri = (configured != null && !configured.isBlank()) ? URI.create(configured) : startEmbedded();
		}
		return uri;
	}

	private static URI startEmbedded() {
		try {
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			RedisServer server = RedisServer.newRedisServer()
				.bind("127.0.0.1")
				.port(port)
				.setting("save \"\"")
				.setting("appendonly no")
				.setting("dir " + Files.createTempDirectory("redis-" + port).toAbsolutePath())
				.build();
			server.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					server.stop();
				}
				catch (IOException ex) {
					// The JVM is exiting: the server process goes with it.
				}
			}, "embedded-redis-shutdown"));
			return URI.create("redis://127.0.0.1:" + port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
