package dev.distlock.test.autoconfigure.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.LockKey;
import dev.distlock.jdbc.JdbcLockStore;
import dev.distlock.test.RecordingLockStore;
import dev.distlock.test.autoconfigure.AutoConfigureDistributedLock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.transaction.TestTransaction;

import static dev.distlock.test.RecordingLockStoreAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AutoConfigureDistributedLock @AutoConfigureDistributedLock} in a
 * {@code @DataJdbcTest}: the locks live in the slice's embedded database (the JDBC lock
 * store, its table created as for any embedded database), and the recording shows that
 * concurrent deposits into one account took turns.
 *
 * @author Distributed Lock team
 */
@DataJdbcTest(properties = "spring.sql.init.schema-locations=classpath:dev/distlock/test/autoconfigure/jdbc/schema.sql")
@Import(AccountService.class)
@AutoConfigureDistributedLock
class AutoConfigureDistributedLockDataJdbcIntegrationTests {

	@Autowired
	private AccountService accounts;

	@Autowired
	private RecordingLockStore locks;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void theLocksLiveInTheSlicesDatabase() {
		assertThat(this.locks.getDelegate()).isInstanceOf(JdbcLockStore.class);
		assertThat(this.accounts.deposit(1, 100)).isEqualTo(100);
		assertThat(this.locks).hasLocked(LockKey.of("account", 1), 1).hasNoLocksHeld();
		// Lock writes never join the test's transaction: the row is there, committed.
		assertThat(TestTransaction.isActive()).isTrue();
		assertThat(this.jdbc.queryForObject("select count(*) from distributed_lock", Integer.class)).isPositive();
	}

	@Test
	void concurrentDepositsIntoOneAccountTakeTurns() throws Exception {
		// Other threads than the test's: each deposit commits its own transaction.
		ExecutorService tellers = Executors.newFixedThreadPool(4);
		try {
			List<Future<Long>> deposits = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				deposits.add(tellers.submit(() -> this.accounts.deposit(2, 10)));
			}
			for (Future<Long> deposit : deposits) {
				deposit.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			tellers.shutdownNow();
		}
		assertThat(this.jdbc.queryForObject("select balance from account where id = 2", Long.class))
			.as("no deposit was lost")
			.isEqualTo(200);
		assertThat(this.locks).hasLocked(LockKey.of("account", 2), 20)
			.hasLockedOnly(LockKey.of("account", 2))
			.hasNoOverlaps()
			.hasNoLocksHeld();
	}

}
