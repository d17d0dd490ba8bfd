package dev.distlock.benchmarks.compare;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CountingDataSource}, on a real H2 database.
 */
class CountingDataSourceTests {

	private final CountingDataSource dataSource = new CountingDataSource(
			new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:counting;DB_CLOSE_DELAY=-1"));

	@Test
	void countsEachStatementExecutedAndEachCommit() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE IF NOT EXISTS counted (id INT PRIMARY KEY)");
				statement.execute("DELETE FROM counted");
			}
			connection.setAutoCommit(false);
			try (PreparedStatement insert = connection.prepareStatement("INSERT INTO counted VALUES (?)")) {
				insert.setInt(1, 1);
				insert.executeUpdate();
				insert.setInt(1, 2);
				insert.addBatch();
				insert.setInt(1, 3);
				insert.addBatch();
				insert.executeBatch();
			}
			connection.commit();
			try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM counted");
					ResultSet result = query.executeQuery()) {
				result.next();
				assertThat(result.getInt(1)).isEqualTo(3);
			}
			connection.rollback();
		}
		// Two statements, one update, one batch, one commit, one query, one rollback.
		assertThat(this.dataSource.read().roundTrips()).isEqualTo(7);
	}

	@Test
	void doesNotCountWhatSendsNothing() throws Exception {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
			connection.getAutoCommit();
			statement.setQueryTimeout(1);
		}
		assertThat(this.dataSource.read().roundTrips()).isZero();
	}

}
