package dev.distlock.jdbc;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockWaiters;
import dev.distlock.core.WaitSubscription;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The PostgreSQL driver is optional: without it on the class path the store loads, locks
 * and waits (by polling) as before, also when the database says it is PostgreSQL.
 *
 * @author Distributed Lock team
 */
class JdbcLockStoreWithoutPgjdbcTests {

	@Test
	void storeWorksWithoutThePostgresDriver() throws Exception {
		List<URL> urls = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (!entry.replace('\\', '/').contains("org/postgresql/postgresql")) {
				urls.add(new File(entry).toURI().toURL());
			}
		}
		try (URLClassLoader withoutDriver = new URLClassLoader(urls.toArray(URL[]::new),
				ClassLoader.getPlatformClassLoader())) {
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> withoutDriver.loadClass("org.postgresql.PGConnection"));
			Class<?> scenario = Class.forName(Scenario.class.getName(), true, withoutDriver);
			assertThat(scenario.getMethod("run").invoke(null)).isEqualTo("acquired, woken once, released");
		}
	}

	/**
	 * Run in a class loader without pgjdbc.
	 */
	public static final class Scenario {

		private Scenario() {
		}

		/**
		 * Lock, wait and release on H2, and subscribe as if on PostgreSQL.
		 * @return what happened
		 */
		public static String run() {
			JdbcDataSource dataSource = new JdbcDataSource();
			dataSource.setURL(TestDatabases.h2Url());
			String tableName = TestDatabases.uniqueTableName();
			JdbcLockSchema.createTable(dataSource, tableName);
			JdbcLockStore store = new JdbcLockStore(dataSource, tableName);
			try {
				LockKey key = LockKey.of("without-pgjdbc", 1);
				boolean acquired = store
					.tryAcquire(new LockRequest(key, "holder", Duration.ofSeconds(30), Duration.ZERO, false,
							Duration.ofSeconds(5)))
					.toCompletableFuture()
					.join()
					.isAcquired();
				AtomicInteger woken = new AtomicInteger();
				WaitSubscription subscription = store.subscribe(key, "waiter", woken::incrementAndGet);
				boolean released = store.release(key, "holder").toCompletableFuture().join();
				subscription.close();
				// The database's answer decides nothing here: without the driver a
				// PostgreSQL store polls.
				JdbcReleaseNotifications notifications = new JdbcReleaseNotifications(dataSource, tableName,
						new LockWaiters());
				WaitSubscription local = WaitSubscription.NONE;
				boolean polls = notifications.subscribe(JdbcLockDialect.POSTGRESQL, key, local) == local;
				notifications.close();
				return (acquired ? "acquired" : "not acquired") + ", woken " + ((woken.get() == 1) ? "once" : woken)
						+ ", " + ((released && polls) ? "released" : "not released or listening");
			}
			finally {
				store.close();
			}
		}

	}

}
