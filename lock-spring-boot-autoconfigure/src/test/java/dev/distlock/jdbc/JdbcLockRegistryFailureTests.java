package dev.distlock.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockStoreException;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Store failures of the JDBC lock store surface as {@link LockStoreException}, never as
 * "not acquired".
 *
 * @author Distributed Lock team
 */
class JdbcLockRegistryFailureTests {

	private static final LockKey KEY = LockKey.of("failures", 1);

	@Test
	void postgresDownAtAcquireIsAStoreError() throws Exception {
		assertStoreErrors(new DriverManagerDataSource(
				"jdbc:postgresql://127.0.0.1:" + closedPort() + "/test?user=postgres&connectTimeout=2"));
	}

	@Test
	void mariaDbDownAtAcquireIsAStoreError() throws Exception {
		assertStoreErrors(new DriverManagerDataSource(
				"jdbc:mariadb://127.0.0.1:" + closedPort() + "/test?user=root&sslMode=disable&connectTimeout=2000"));
	}

	@Test
	void missingTableIsAStoreErrorNamingTheOperationAndKey() throws Exception {
		try (HikariDataSource dataSource = TestDatabases.pool(TestDatabases.h2Url())) {
			JdbcLockRegistry registry = new JdbcLockRegistry(dataSource, "no_such_lock_table");
			assertThatExceptionOfType(LockStoreException.class)
				.isThrownBy(() -> registry.tryAcquire(KEY, "owner", Duration.ofSeconds(30), Duration.ofSeconds(1)))
				.withMessageContaining("acquire")
				.withMessageContaining(KEY.toString())
				.withMessageContaining("no_such_lock_table");
			assertThatExceptionOfType(LockStoreException.class).isThrownBy(() -> registry.release(KEY, "owner"))
				.withMessageContaining("release");
			assertThatExceptionOfType(LockStoreException.class).isThrownBy(registry::checkAvailability)
				.withMessageContaining("no_such_lock_table");
		}
	}

	@Test
	void tableNameMustBeAPlainIdentifier() {
		DataSource unused = new DriverManagerDataSource("jdbc:h2:mem:unused");
		assertThat(new JdbcLockRegistry(unused, "locks.distributed_lock").getTableName())
			.isEqualTo("locks.distributed_lock");
		assertThatIllegalArgumentException().isThrownBy(() -> new JdbcLockRegistry(unused, "locks; DROP TABLE x"))
			.withMessageContaining("Invalid lock table name");
		assertThatIllegalArgumentException().isThrownBy(() -> new JdbcLockRegistry(unused, "a.b.c"));
		assertThatIllegalArgumentException().isThrownBy(() -> new JdbcLockRegistry(unused, "\"quoted\""));
	}

	private static void assertStoreErrors(DataSource dataSource) {
		JdbcLockRegistry registry = new JdbcLockRegistry(dataSource, JdbcLockSchema.DEFAULT_TABLE_NAME);
		assertThatExceptionOfType(LockStoreException.class)
			.isThrownBy(() -> registry.tryAcquire(KEY, "owner", Duration.ofSeconds(30), Duration.ZERO));
		assertThatExceptionOfType(LockStoreException.class)
			.isThrownBy(() -> registry.tryAcquire(KEY, "owner", Duration.ofSeconds(30), Duration.ofSeconds(1)));
		assertThatExceptionOfType(LockStoreException.class).isThrownBy(() -> registry.release(KEY, "owner"));
		assertThatExceptionOfType(LockStoreException.class)
			.isThrownBy(() -> registry.renew(KEY, "owner", Duration.ofSeconds(30)));
		assertThatExceptionOfType(LockStoreException.class).isThrownBy(registry::checkAvailability);
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
