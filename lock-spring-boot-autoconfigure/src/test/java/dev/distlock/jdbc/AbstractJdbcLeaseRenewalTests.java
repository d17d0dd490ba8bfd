package dev.distlock.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.distlock.core.AcquireResult;
import dev.distlock.core.LeaseRenewal;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renewals of one sweep go to the database together: a thousand leases cost a few
 * statements, and each lease still learns whether it was renewed, on one real database
 * per subclass.
 *
 * @author Distributed Lock team
 */
abstract class AbstractJdbcLeaseRenewalTests {

	private static final Duration LONG = Duration.ofSeconds(60);

	private HikariDataSource dataSource;

	private String tableName;

	private final List<String> sent = new ArrayList<>();

	private JdbcLockStore store;

	private final String namespace = "renewals-" + UUID.randomUUID();

	/**
	 * Return the JDBC URL of the database under test.
	 * @return the JDBC URL
	 */
	protected abstract String jdbcUrl();

	protected String tableName() {
		return this.tableName;
	}

	protected JdbcLockStore store() {
		return this.store;
	}

	protected LockKey key(Object... parts) {
		return LockKey.of(this.namespace, parts);
	}

	@BeforeEach
	void createTable() {
		this.dataSource = TestDatabases.pool(jdbcUrl(), 4, (config) -> {
		});
		this.tableName = TestDatabases.uniqueTableName();
		JdbcLockSchema.createTable(this.dataSource, this.tableName);
		this.store = new JdbcLockStore(AbstractJdbcLockStoreTests.countingDataSource(this.dataSource, this.sent),
				this.tableName);
	}

	@AfterEach
	void dropTable() {
		this.store.close();
		TestDatabases.dropTable(this.dataSource, this.tableName);
		this.dataSource.close();
	}

	@Test
	void thousandLeasesAreRenewedWithAtMostTenStatements() {
		List<LeaseRenewal> renewals = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			LockKey key = LockKey.of(this.namespace, i);
			assertThat(acquire(key, "owner-" + i, LONG)).isTrue();
			renewals.add(new LeaseRenewal(key, "owner-" + i, LONG));
		}
		this.sent.clear();
		List<Boolean> results = this.store.renew(renewals).toCompletableFuture().join();
		assertThat(results).hasSize(1000).containsOnly(true);
		assertThat(this.sent).as("statements for 1,000 renewals").hasSizeLessThanOrEqualTo(10);
		assertThat(this.sent).as("statements when every lease is still held").hasSize(1000 / JdbcLeaseRenewals.CHUNK);
	}

	@Test
	void eachLeaseLearnsWhetherItWasRenewed() throws Exception {
		int count = 1000;
		// Long enough for the setup of a thousand leases on a slow machine.
		Duration shortLease = Duration.ofSeconds(5);
		long start = System.nanoTime();
		List<LeaseRenewal> renewals = new ArrayList<>();
		List<Boolean> expected = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			LockKey key = LockKey.of(this.namespace, "mixed", i);
			String owner = "owner-" + i;
			switch (i % 5) {
				// Held, renewed with the long lease.
				case 0 -> {
					assertThat(acquire(key, owner, shortLease)).isTrue();
					renewals.add(new LeaseRenewal(key, owner, LONG));
					expected.add(true);
				}
				// Held, renewed with a lease time of its own.
				case 1 -> {
					assertThat(acquire(key, owner, shortLease)).isTrue();
					renewals.add(new LeaseRenewal(key, owner, LONG.plusSeconds(30)));
					expected.add(true);
				}
				// Released by its owner.
				case 2 -> {
					assertThat(acquire(key, owner, shortLease)).isTrue();
					assertThat(this.store.release(key, owner).toCompletableFuture().join()).isTrue();
					renewals.add(new LeaseRenewal(key, owner, LONG));
					expected.add(false);
				}
				// Taken over by another owner after it expired.
				case 3 -> {
					assertThat(acquire(key, owner, Duration.ofMillis(1))).isTrue();
					renewals.add(new LeaseRenewal(key, owner, LONG));
					expected.add(false);
				}
				// Never held at all (no row).
				default -> {
					renewals.add(new LeaseRenewal(key, owner, LONG));
					expected.add(false);
				}
			}
		}
		Thread.sleep(20);
		for (int i = 3; i < count; i += 5) {
			assertThat(acquire(LockKey.of(this.namespace, "mixed", i), "thief-" + i, LONG)).isTrue();
		}
		this.sent.clear();
		List<Boolean> results = this.store.renew(renewals).toCompletableFuture().join();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("setup and renewal within the short lease")
			.isLessThan(shortLease);
		assertThat(results).isEqualTo(expected);
		assertThat(this.sent).as("statements for 1,000 renewals, some lost").hasSizeLessThanOrEqualTo(10);
		// Once the short leases are over, only the renewed ones are still held, and the
		// leases that were taken over still belong to the new owner.
		Thread.sleep(Math.max(0, shortLease.toMillis() - Duration.ofNanos(System.nanoTime() - start).toMillis() + 200));
		for (int i = 0; i < count; i++) {
			LockKey key = LockKey.of(this.namespace, "mixed", i);
			boolean held = !acquire(key, "late-" + i, LONG);
			assertThat(held).as("lease %d still held", i).isEqualTo(expected.get(i) || i % 5 == 3);
		}
	}

	@Test
	void expiredLeaseIsNotRenewed() throws Exception {
		LockKey key = LockKey.of(this.namespace, "expired");
		assertThat(acquire(key, "owner", Duration.ofMillis(1))).isTrue();
		Thread.sleep(20);
		LockKey held = LockKey.of(this.namespace, "held");
		assertThat(acquire(held, "owner", LONG)).isTrue();
		List<Boolean> results = this.store
			.renew(List.of(new LeaseRenewal(key, "owner", LONG), new LeaseRenewal(held, "owner", LONG)))
			.toCompletableFuture()
			.join();
		assertThat(results).containsExactly(false, true);
		assertThat(acquire(key, "next", LONG)).as("the expired lease stayed expired").isTrue();
	}

	protected boolean acquire(LockKey key, String owner, Duration lease) {
		LockStore lockStore = this.store;
		AcquireResult result = lockStore
			.tryAcquire(new LockRequest(key, owner, lease, Duration.ZERO, false, Duration.ofSeconds(5)))
			.toCompletableFuture()
			.join();
		return result.isAcquired();
	}

}
