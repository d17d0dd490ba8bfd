package dev.distlock.jdbc;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;

import javax.sql.DataSource;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockWaiters;
import dev.distlock.core.WaitSubscription;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * How releases reach the waiters of other instances, per database. On PostgreSQL a
 * release announces itself with {@code NOTIFY} in its own statement, and only when some
 * instance waits for the key ({@code release-notify.sql}); one
 * {@link PostgresReleaseListener} per store receives the announcements for this
 * instance's waiters. It is used only when the PostgreSQL driver (pgjdbc) is on the class
 * path. Elsewhere (MySQL, MariaDB, H2, or PostgreSQL through another driver) waiters of
 * other instances poll, and only a release in this JVM wakes a waiter at once.
 *
 * @author Distributed Lock team
 */
final class JdbcReleaseNotifications implements AutoCloseable {

	private static final boolean pgjdbcPresent = ClassUtils.isPresent("org.postgresql.PGConnection",
			JdbcReleaseNotifications.class.getClassLoader());

	/** PostgreSQL's longest identifier, in bytes. */
	private static final int MAX_CHANNEL_BYTES = 63;

	private final DataSource dataSource;

	private final String tableName;

	private final LockWaiters waiters;

	private final String channel;

	private final String sender = UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	private final Object monitor = new Object();

	private @Nullable PostgresReleaseListener listener;

	private boolean closed;

	JdbcReleaseNotifications(DataSource dataSource, String tableName, LockWaiters waiters) {
		this.dataSource = dataSource;
		this.tableName = tableName;
		this.waiters = waiters;
		this.channel = channelName(tableName);
	}

	/**
	 * Return the channel that releases of a table are announced on: the table's name, in
	 * lower case with {@code .} as {@code _}, followed by {@code _released}, shortened
	 * with a hash to fit PostgreSQL's 63-byte identifiers.
	 * @param tableName the lock table
	 * @return the channel name
	 */
	static String channelName(String tableName) {
		String name = tableName.toLowerCase(Locale.ROOT).replace('.', '_') + "_released";
		if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_CHANNEL_BYTES) {
			return name;
		}
		CRC32 crc = new CRC32();
		crc.update(name.getBytes(StandardCharsets.UTF_8));
		String hash = HexFormat.of().toHexDigits((int) crc.getValue());
		return name.substring(0, MAX_CHANNEL_BYTES - hash.length() - 1) + "_" + hash;
	}

	String channel() {
		return this.channel;
	}

	String sender() {
		return this.sender;
	}

	/**
	 * Load a release statement ({@code release} or {@code force-release}): on PostgreSQL
	 * the variant that announces the release to waiting instances.
	 * @param dialect the database
	 * @param name the statement
	 * @return the statement
	 */
	LockStatement releaseStatement(JdbcLockDialect dialect, String name) {
		if (dialect != JdbcLockDialect.POSTGRESQL) {
			return LockStatement.load(dialect, name, this.tableName);
		}
		return LockStatement.load(dialect, name + "-notify", this.tableName,
				Map.of("channel", this.channel, "sender", this.sender));
	}

	/**
	 * Return whether releases reach the waiters of other instances on this database (and
	 * so whether a holder can tell that they wait): PostgreSQL through pgjdbc.
	 * @param dialect the database
	 * @return whether releases are announced
	 */
	static boolean announcesReleases(JdbcLockDialect dialect) {
		return dialect == JdbcLockDialect.POSTGRESQL && pgjdbcPresent;
	}

	/**
	 * Let a local waiter also hear of releases by other instances, where the database can
	 * announce them.
	 * @param dialect the database
	 * @param key the key waited for
	 * @param local the waiter's local subscription
	 * @return the subscription to hand to the waiter
	 */
	WaitSubscription subscribe(JdbcLockDialect dialect, LockKey key, WaitSubscription local) {
		if (!announcesReleases(dialect)) {
			return local;
		}
		PostgresReleaseListener listening;
		synchronized (this.monitor) {
			if (this.closed) {
				return local;
			}
			if (this.listener == null) {
				this.listener = new PostgresReleaseListener(this.dataSource, this.tableName, this.channel, this.sender,
						this.waiters);
			}
			listening = this.listener;
		}
		return listening.subscribe(key, local);
	}

	/**
	 * Load the PostgreSQL statement that hands a lock over within this instance unless
	 * another instance waits for it, and then releases and announces it
	 * ({@code handover-yield.sql}).
	 * @param dialect the database, PostgreSQL
	 * @return the statement
	 */
	LockStatement handOverOrYieldStatement(JdbcLockDialect dialect) {
		return LockStatement.load(dialect, "handover-yield", this.tableName,
				Map.of("channel", this.channel, "sender", this.sender));
	}

	/**
	 * Return the listener, if one was started.
	 * @return the listener or {@code null}
	 */
	@Nullable PostgresReleaseListener listener() {
		synchronized (this.monitor) {
			return this.listener;
		}
	}

	/**
	 * Stop listening: the listening connection is returned and its thread ends.
	 */
	@Override
	public void close() {
		PostgresReleaseListener listening;
		synchronized (this.monitor) {
			this.closed = true;
			listening = this.listener;
		}
		if (listening != null) {
			listening.close();
		}
	}

}
