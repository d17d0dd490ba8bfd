package dev.distlock.jdbc;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.distlock.core.LeaseRenewal;
import dev.distlock.core.LockKey;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renewals in batches on MariaDB: the machine's when {@value TestDatabases#MARIADB_URL}
 * is set, else an embedded server.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class JdbcLeaseRenewalMariaDbTests extends AbstractJdbcLeaseRenewalTests {

	@Override
	protected String jdbcUrl() {
		return TestDatabases.mariaDbUrl();
	}

	@Test
	void serverCountsTwoQuestionsForAThousandRenewals() throws Exception {
		// The server's own count of the statements it received on the session: the
		// statements the client sends are all the server runs (no batch split up).
		List<LeaseRenewal> renewals = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			LockKey key = key("questions", i);
			assertThat(acquire(key, "owner-" + i, Duration.ofSeconds(60))).isTrue();
			renewals.add(new LeaseRenewal(key, "owner-" + i, Duration.ofSeconds(60)));
		}
		SingleConnectionDataSource single = new SingleConnectionDataSource(jdbcUrl(), true);
		try (Connection connection = single.getConnection()) {
			JdbcLockStore store = new JdbcLockStore(single, tableName());
			store.checkAvailability();
			long idle = TestDatabases.mariaDbQuestions(connection) - TestDatabases.mariaDbQuestions(connection);
			long before = TestDatabases.mariaDbQuestions(connection);
			assertThat(store.renew(renewals).toCompletableFuture().join()).containsOnly(true);
			long after = TestDatabases.mariaDbQuestions(connection);
			assertThat(after - before + idle).isEqualTo(2);
			store.close();
		}
		finally {
			single.destroy();
		}
	}

}
