package dev.distlock.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.jspecify.annotations.Nullable;
import redis.embedded.RedisSentinel;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.awaitility.Awaitility.await;

/**
 * Real Redis servers for tests, never a mock: the machine's Redis when
 * {@value #URL_VARIABLE} points at it (such as {@code redis://127.0.0.1:6379}), otherwise
 * the {@code redis-server} binary shipped in the {@code embedded-redis} jar on free
 * ports, so a fresh machine needs nothing installed.
 * <p>
 * {@link #sharedServer()} is for tests that only use their own keys. Tests that stop,
 * pause or reset a server, and the Cluster and Sentinel tests, start private embedded
 * servers that they stop themselves.
 *
 * @author Distributed Lock team
 */
public final class RedisServerSupport {

	/** The environment variable that points the tests at an existing Redis. */
	public static final String URL_VARIABLE = "DISTLOCK_TEST_REDIS_URL";

	/** The environment variable naming a Redis 7 {@code redis-server} binary. */
	public static final String SERVER_VARIABLE = "DISTLOCK_TEST_REDIS_SERVER";

	/** Command timeout of test clients: short, so a dead server fails a test quickly. */
	public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

	private static final String HOST = "127.0.0.1";

	private static RedisStandaloneConfiguration shared;

	private RedisServerSupport() {
	}

	/**
	 * Return whether the tests use the machine's Redis rather than an embedded one.
	 * @return whether {@value #URL_VARIABLE} is set
	 */
	public static boolean usesMachineRedis() {
		String url = System.getenv(URL_VARIABLE);
		return url != null && !url.isBlank();
	}

	/**
	 * Return the shared standalone server: the machine's Redis when
	 * {@value #URL_VARIABLE} is set, else an embedded server started once per JVM.
	 * @return its connection settings
	 */
	public static synchronized RedisStandaloneConfiguration sharedServer() {
		if (shared == null) {
			if (usesMachineRedis()) {
				URI uri = URI.create(System.getenv(URL_VARIABLE));
				RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(uri.getHost(),
						(uri.getPort() != -1) ? uri.getPort() : 6379);
				String path = uri.getPath();
				if (path != null && path.length() > 1) {
					configuration.setDatabase(Integer.parseInt(path.substring(1)));
				}
				String userInfo = uri.getUserInfo();
				if (userInfo != null) {
					int colon = userInfo.indexOf(':');
					if (colon > 0) {
						configuration.setUsername(userInfo.substring(0, colon));
					}
					configuration.setPassword(userInfo.substring(colon + 1));
				}
				shared = configuration;
			}
			else {
				EmbeddedRedis server = startServer();
				Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-redis-shutdown"));
				shared = server.configuration();
			}
		}
		return shared;
	}

	/**
	 * Start a private embedded server on a free port, without persistence, so a restart
	 * loses every key.
	 * @return the running server
	 */
	public static EmbeddedRedis startServer() {
		return startServer((builder) -> {
		});
	}

	/**
	 * Return the machine's own {@code redis-server} binary if it is Redis 7 or later (for
	 * sharded pub/sub, which the embedded 6.2 binary lacks): {@value #SERVER_VARIABLE} or
	 * {@code /usr/bin/redis-server}.
	 * @return the binary, or empty if there is none
	 */
	public static Optional<File> redis7Binary() {
		String configured = System.getenv(SERVER_VARIABLE);
		File binary = new File((configured != null && !configured.isBlank()) ? configured : "/usr/bin/redis-server");
		if (!binary.canExecute()) {
			return Optional.empty();
		}
		try {
			Process process = new ProcessBuilder(binary.getPath(), "--version").redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes());
			process.waitFor(10, TimeUnit.SECONDS);
			Matcher version = Pattern.compile("v=(\\d+)\\.").matcher(output);
			return (version.find() && Integer.parseInt(version.group(1)) >= 7) ? Optional.of(binary) : Optional.empty();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	private static EmbeddedRedis startServer(Consumer<RedisServerBuilder> customizer) {
		int port = freePort();
		RedisServerBuilder builder = RedisServer.newRedisServer()
			.bind(HOST)
			.port(port)
			.setting("save \"\"")
			.setting("appendonly no")
			.setting("dir " + temporaryDirectory("redis-" + port));
		customizer.accept(builder);
		try {
			RedisServer server = builder.build();
			server.start();
			return new EmbeddedRedis(server, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Start a Redis Cluster of embedded servers on free ports, every node a master with
	 * an equal share of the slots, and wait until it is ready.
	 * @param masters the number of master nodes
	 * @return the running cluster
	 */
	public static EmbeddedRedisCluster startCluster(int masters) {
		return startCluster(masters, null);
	}

	/**
	 * Start a Redis Cluster on free ports from the given binary, every node a master with
	 * an equal share of the slots, and wait until it is ready.
	 * @param masters the number of master nodes
	 * @param binary the {@code redis-server} binary, or {@code null} for the embedded one
	 * @return the running cluster
	 */
	public static EmbeddedRedisCluster startCluster(int masters, @Nullable File binary) {
		List<EmbeddedRedis> nodes = new ArrayList<>();
		try {
			for (int i = 0; i < masters; i++) {
				nodes.add(startServer((builder) -> {
					builder.setting("cluster-enabled yes")
						.setting("cluster-config-file nodes.conf")
						.setting("cluster-node-timeout 5000");
					if (binary != null) {
						builder.executableProvider(() -> binary);
					}
				}));
			}
			RedisClient client = RedisClient.create();
			List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
			try {
				for (EmbeddedRedis node : nodes) {
					connections.add(client.connect(RedisURI.create(HOST, node.port())));
				}
				int slots = 16384;
				for (int i = 0; i < masters; i++) {
					int from = slots * i / masters;
					int to = slots * (i + 1) / masters;
					connections.get(i).sync().clusterAddSlots(IntStream.range(from, to).toArray());
				}
				for (int i = 1; i < masters; i++) {
					connections.get(0).sync().clusterMeet(HOST, nodes.get(i).port());
				}
				await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
					for (StatefulRedisConnection<String, String> connection : connections) {
						RedisCommands<String, String> commands = connection.sync();
						if (!commands.clusterInfo().contains("cluster_state:ok")
								|| commands.clusterNodes().lines().count() != masters) {
							return false;
						}
					}
					return true;
				});
			}
			finally {
				connections.forEach(StatefulRedisConnection::close);
				client.shutdown();
			}
			return new EmbeddedRedisCluster(nodes);
		}
		catch (RuntimeException ex) {
			nodes.forEach(EmbeddedRedis::close);
			throw ex;
		}
	}

	/**
	 * Start an embedded master and one embedded Sentinel that monitors it as
	 * {@code mymaster}.
	 * @return the running setup
	 */
	public static EmbeddedRedisSentinel startSentinel() {
		EmbeddedRedis master = startServer();
		int port = freePort();
		RedisSentinel sentinel = RedisSentinel.newRedisSentinel()
			.bind(HOST)
			.port(port)
			.masterPort(master.port())
			.masterName(EmbeddedRedisSentinel.MASTER_NAME)
			.quorumSize(1)
			.build();
		try {
			sentinel.start();
		}
		catch (IOException ex) {
			master.close();
			throw new UncheckedIOException(ex);
		}
		return new EmbeddedRedisSentinel(master, sentinel, port);
	}

	/**
	 * Create and start a Lettuce connection factory with the test command timeout.
	 * @param configuration the server's settings
	 * @return the started factory; the caller destroys it
	 */
	public static LettuceConnectionFactory lettuce(RedisConfiguration configuration) {
		return lettuce(configuration, COMMAND_TIMEOUT);
	}

	/**
	 * Create and start a Lettuce connection factory.
	 * @param configuration the server's settings
	 * @param commandTimeout how long a command may take
	 * @return the started factory; the caller destroys it
	 */
	public static LettuceConnectionFactory lettuce(RedisConfiguration configuration, Duration commandTimeout) {
		// A short constant reconnect delay finds a restarted server in a tenth of
		// a second instead of after Lettuce's growing back-off: that only makes
		// fault tests faster.
		ClientResources resources = DefaultClientResources.builder()
			.reconnectDelay(Delay.constant(Duration.ofMillis(100)))
			.build();
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.clientResources(resources)
			.commandTimeout(commandTimeout)
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration, client) {

			@Override
			public void destroy() {
				super.destroy();
				resources.shutdown(0, 2, TimeUnit.SECONDS);
			}

		};
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * Create and start a Jedis connection factory.
	 * @param configuration the server's settings
	 * @return the started factory; the caller destroys it
	 */
	public static JedisConnectionFactory jedis(RedisStandaloneConfiguration configuration) {
		JedisConnectionFactory factory = new JedisConnectionFactory(configuration);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path temporaryDirectory(String prefix) {
		try {
			Path directory = Files.createTempDirectory(prefix);
			directory.toFile().deleteOnExit();
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A private embedded {@code redis-server}.
	 */
	public static final class EmbeddedRedis implements AutoCloseable {

		private final RedisServer server;

		private final int port;

		EmbeddedRedis(RedisServer server, int port) {
			this.server = server;
			this.port = port;
		}

		/**
		 * Return the server's port.
		 * @return the port
		 */
		public int port() {
			return this.port;
		}

		/**
		 * Return the server's connection settings.
		 * @return the settings
		 */
		public RedisStandaloneConfiguration configuration() {
			return new RedisStandaloneConfiguration(HOST, this.port);
		}

		/**
		 * Stop the server process; its keys are gone (no persistence).
		 */
		public void stop() {
			try {
				this.server.stop();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * Start the server again on the same port, empty.
		 */
		public void start() {
			try {
				this.server.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public void close() {
			if (this.server.isActive()) {
				stop();
			}
		}

	}

	/**
	 * A private embedded Redis Cluster.
	 */
	public static final class EmbeddedRedisCluster implements AutoCloseable {

		private final List<EmbeddedRedis> nodes;

		EmbeddedRedisCluster(List<EmbeddedRedis> nodes) {
			this.nodes = List.copyOf(nodes);
		}

		/**
		 * Return the cluster's nodes.
		 * @return the nodes
		 */
		public List<EmbeddedRedis> nodes() {
			return this.nodes;
		}

		/**
		 * Return the cluster's connection settings, naming every node.
		 * @return the settings
		 */
		public RedisClusterConfiguration configuration() {
			return new RedisClusterConfiguration(this.nodes.stream().map((node) -> HOST + ":" + node.port()).toList());
		}

		@Override
		public void close() {
			this.nodes.forEach(EmbeddedRedis::close);
		}

	}

	/**
	 * A private embedded master watched by one Sentinel.
	 */
	public static final class EmbeddedRedisSentinel implements AutoCloseable {

		static final String MASTER_NAME = "mymaster";

		private final EmbeddedRedis master;

		private final RedisSentinel sentinel;

		private final int sentinelPort;

		EmbeddedRedisSentinel(EmbeddedRedis master, RedisSentinel sentinel, int sentinelPort) {
			this.master = master;
			this.sentinel = sentinel;
			this.sentinelPort = sentinelPort;
		}

		/**
		 * Return the connection settings that find the master through the Sentinel.
		 * @return the settings
		 */
		public RedisSentinelConfiguration configuration() {
			return new RedisSentinelConfiguration(MASTER_NAME, Set.of(HOST + ":" + this.sentinelPort));
		}

		@Override
		public void close() {
			try {
				this.sentinel.stop();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			finally {
				this.master.close();
			}
		}

	}

}
