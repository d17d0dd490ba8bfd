package dev.distlock.faults.servers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import redis.embedded.core.ExecutableProvider;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A {@code redis-server} process that the suite owns: on a free port of 127.0.0.1,
 * without persistence (a restart loses every key), killed, paused and restarted by its
 * pid. The binary is Debian's {@code /usr/bin/redis-server} when present, else the one
 * shipped in the {@code embedded-redis} jar from Maven Central.
 *
 * @author Distributed Lock team
 */
public final class PrivateRedis implements AutoCloseable {

	private final File binary;

	private final int port;

	private final Path directory;

	private @Nullable Process process;

	private PrivateRedis(File binary, int port, Path directory) {
		this.binary = binary;
		this.port = port;
		this.directory = directory;
	}

	/**
	 * Start a server, or skip the calling test when no binary can be found.
	 * @return the running server
	 */
	public static PrivateRedis start() {
		File binary = binary();
		assumeTrue(binary != null, "No redis-server binary: neither /usr/bin/redis-server nor embedded-redis's");
		try {
			PrivateRedis redis = new PrivateRedis(binary, FreePorts.next(), Files.createTempDirectory("fault-redis-"));
			redis.startProcess();
			return redis;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static @Nullable File binary() {
		File debian = new File("/usr/bin/redis-server");
		if (debian.canExecute()) {
			return debian;
		}
		try {
			File embedded = ExecutableProvider.newJarResourceProvider().get();
			return (embedded.canExecute() || embedded.setExecutable(true)) ? embedded : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Return the server's port.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return the pid of the running server process.
	 * @return the pid
	 */
	public long pid() {
		return running().pid();
	}

	/**
	 * Kill the server ({@code SIGKILL}): every key is gone.
	 */
	public void kill() {
		Process process = running();
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	/**
	 * Start the server again on the same port, empty.
	 */
	public void restart() {
		if (this.process != null) {
			kill();
		}
		startProcess();
	}

	/**
	 * Restart the server keeping its keys, as a Redis with persistence does: shut it down
	 * with {@code SHUTDOWN SAVE} and start it on the same port and directory, where it
	 * loads the snapshot.
	 */
	public void restartKeepingData() {
		Process process = running();
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.getOutputStream().write("*2\r\n$8\r\nSHUTDOWN\r\n$4\r\nSAVE\r\n".getBytes());
			socket.getOutputStream().flush();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				throw new IllegalStateException("redis-server did not shut down");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		this.process = null;
		startProcess();
	}

	@Override
	public void close() {
		if (this.process != null) {
			kill();
		}
	}

	private Process running() {
		Process process = this.process;
		if (process == null || !process.isAlive()) {
			throw new IllegalStateException("redis-server on port " + this.port + " is not running");
		}
		return process;
	}

	private void startProcess() {
		List<String> command = List.of(this.binary.getPath(), "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.directory.toString(), "--loglevel",
				"warning");
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		awaitPort(this.port, Duration.ofSeconds(20), "redis-server");
	}

	static void awaitPort(int port, Duration timeout, String what) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			}
			catch (IOException ex) {
				if (System.nanoTime() - deadline > 0) {
					throw new IllegalStateException(what + " did not listen on port " + port + " within " + timeout,
							ex);
				}
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(interrupted);
				}
			}
		}
	}

}
