package dev.distlock.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import dev.distlock.core.LockKey;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock contract and the JDBC store's own behaviour on MariaDB at its default
 * REPEATABLE READ isolation: the machine's when {@value TestDatabases#MARIADB_URL} is
 * set, else an embedded server.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class JdbcLockStoreMariaDbTests extends AbstractJdbcLockStoreTests {

	@Override
	protected String jdbcUrl() {
		return TestDatabases.mariaDbUrl();
	}

	@Test
	void clientsRunAtTheDefaultRepeatableRead() throws Exception {
		// The contract suite's 16 threads and
		// sixteenClientsOnHotAndDistinctKeysSeeNoErrors prove the absence of
		// surfacing deadlocks only at this isolation level.
		try (Connection connection = dataSource().getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT @@tx_isolation")) {
			result.next();
			assertThat(result.getString(1)).isEqualTo("REPEATABLE-READ");
		}
	}

	@Test
	void serverCountsTwoQuestionsForAcquireAndRelease() throws Exception {
		// The server's own count of statements received on this session: proves that
		// reading the fencing token from the insert id costs no extra round trip.
		SingleConnectionDataSource single = new SingleConnectionDataSource(TestDatabases.mariaDbUrl(), true);
		try (Connection connection = single.getConnection()) {
			JdbcLockStore store = new JdbcLockStore(single, tableName());
			LockKey key = key("questions");
			acquire(store, key, "warm-up", Duration.ofSeconds(30)).orElseThrow();
			release(store, key, "warm-up");
			long idle = TestDatabases.mariaDbQuestions(connection) - TestDatabases.mariaDbQuestions(connection);
			long before = TestDatabases.mariaDbQuestions(connection);
			assertThat(acquire(store, key, "counted", Duration.ofSeconds(30))).isPresent();
			assertThat(release(store, key, "counted")).isTrue();
			long after = TestDatabases.mariaDbQuestions(connection);
			assertThat(after - before + idle).isEqualTo(2);
			store.close();
		}
		finally {
			single.destroy();
		}
	}

}
