package dev.distlock.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.distlock.core.LeaseRenewal;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockStoreException;
import dev.distlock.core.LockTemplate;
import org.junit.jupiter.api.Test;

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
class JdbcLockStoreFailureTests {

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
			JdbcLockStore store = new JdbcLockStore(dataSource, "no_such_lock_table");
			LockTemplate template = template(store);
			assertThatExceptionOfType(LockStoreException.class)
				.isThrownBy(() -> template.acquire(KEY, waiting(Duration.ofSeconds(1))))
				.withMessageContaining("acquire")
				.withMessageContaining(KEY.toString())
				.withMessageContaining("no_such_lock_table");
			assertThatExceptionOfType(CompletionException.class)
				.isThrownBy(() -> store.release(KEY, "owner").toCompletableFuture().join())
				.withRootCauseInstanceOf(java.sql.SQLException.class)
				.withMessageContaining("release");
			assertThatExceptionOfType(LockStoreException.class).isThrownBy(store::checkAvailability)
				.withMessageContaining("no_such_lock_table");
			store.close();
		}
	}

	@Test
	void tableNameMustBeAPlainIdentifier() {
		DataSource unused = new DriverManagerDataSource("jdbc:h2:mem:unused");
		assertThat(new JdbcLockStore(unused, "locks.distributed_lock").getTableName())
			.isEqualTo("locks.distributed_lock");
		assertThatIllegalArgumentException().isThrownBy(() -> new JdbcLockStore(unused, "locks; DROP TABLE x"))
			.withMessageContaining("Invalid lock table name");
		assertThatIllegalArgumentException().isThrownBy(() -> new JdbcLockStore(unused, "a.b.c"));
		assertThatIllegalArgumentException().isThrownBy(() -> new JdbcLockStore(unused, "\"quoted\""));
	}

	private static void assertStoreErrors(DataSource dataSource) {
		JdbcLockStore store = new JdbcLockStore(dataSource, JdbcLockSchema.DEFAULT_TABLE_NAME);
		LockTemplate template = template(store);
		assertThatExceptionOfType(LockStoreException.class)
			.isThrownBy(() -> template.acquire(KEY, waiting(Duration.ZERO)));
		assertThatExceptionOfType(LockStoreException.class)
			.isThrownBy(() -> template.acquire(KEY, waiting(Duration.ofSeconds(1))));
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> store.release(KEY, "owner").toCompletableFuture().join())
			.withCauseInstanceOf(LockStoreException.class);
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> store.renew(List.of(new LeaseRenewal(KEY, "owner", Duration.ofSeconds(30))))
				.toCompletableFuture()
				.join())
			.withCauseInstanceOf(LockStoreException.class);
		assertThatExceptionOfType(LockStoreException.class).isThrownBy(store::checkAvailability);
		store.close();
	}

	private static LockTemplate template(LockStore store) {
		return LockTemplate.builder(store).scheduler(new LeaseRenewalScheduler()).build();
	}

	private static LockOptions waiting(Duration wait) {
		return LockOptions.builder().waitTime(wait).build();
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
