package dev.distlock.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.distlock.core.LockStoreException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JdbcLockSchema} and the database detection of {@link JdbcLockDialect}.
 *
 * @author Distributed Lock team
 */
class JdbcLockSchemaTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "jdbc:postgresql://db:5432/app?user=app&password=secret|jdbc:postgresql://db:5432/app",
					"jdbc:postgresql://db/app?ssl=true&password=secret&user=app|jdbc:postgresql://db/app?ssl=true",
					"jdbc:mariadb://root:secret@db:3306/app?sslMode=disable|jdbc:mariadb://db:3306/app?sslMode=disable",
					"jdbc:mysql://db/app?user=root&sslMode=disable&password=x|jdbc:mysql://db/app?sslMode=disable",
					"jdbc:h2:mem:locks;USER=sa;PASSWORD=secret;DB_CLOSE_DELAY=-1|jdbc:h2:mem:locks;DB_CLOSE_DELAY=-1",
					"jdbc:h2:mem:locks|jdbc:h2:mem:locks" })
	void urlsAreShownWithoutCredentials(String url, String shown) {
		assertThat(JdbcLockSchema.withoutCredentials(url)).isEqualTo(shown);
	}

	@Test
	void databasesAreDetectedByTheirCommonName() {
		assertThat(JdbcLockDialect.forProductName("PostgreSQL")).isEqualTo(JdbcLockDialect.POSTGRESQL);
		assertThat(JdbcLockDialect.forProductName("MySQL")).isEqualTo(JdbcLockDialect.MYSQL);
		assertThat(JdbcLockDialect.forProductName("MariaDB")).isEqualTo(JdbcLockDialect.MYSQL);
		assertThat(JdbcLockDialect.forProductName("H2")).isEqualTo(JdbcLockDialect.H2);
		assertThat(JdbcLockDialect.forProductName("Oracle")).isNull();
		assertThat(JdbcLockDialect.forProductName("DB2/LINUXX8664")).isNull();
		assertThat(JdbcLockDialect.forProductName(null)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "postgresql", "mysql", "h2" })
	void theFlywayMigrationCreatesTheTableOfTheSchemaScript(String platform) throws IOException {
		assertThat(statements("dev/distlock/jdbc/flyway/" + platform + "/R__distributed_lock.sql"))
			.isEqualTo(statements("dev/distlock/jdbc/schema-" + platform + ".sql"));
	}

	@Test
	void createTableRunsTheScriptForTheDatabaseAndCanRunAgain() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL(TestDatabases.h2Url());
		JdbcLockSchema.createTable(dataSource, "created_lock");
		JdbcLockSchema.createTable(dataSource, "created_lock");
		JdbcLockSchema.verifyTable(dataSource, "created_lock", (platform) -> null);
		assertThat(new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM created_lock", Integer.class))
			.isZero();
	}

	@Test
	void verifyTableReportsAMissingTableWithTheDdlForThePlatform() {
		DriverManagerDataSource dataSource = new DriverManagerDataSource(
				TestDatabases.h2Url() + ";USER=locks;PASSWORD=secret");
		assertThatExceptionOfType(InvalidLockTableException.class)
			.isThrownBy(() -> JdbcLockSchema.verifyTable(dataSource, "absent_lock", (platform) -> "DDL of " + platform))
			.satisfies((ex) -> {
				assertThat(ex.getTableName()).isEqualTo("absent_lock");
				assertThat(ex.getDatabaseProductName()).isEqualTo("H2");
				assertThat(ex.getDatabaseUrl()).startsWith("jdbc:h2:mem:distlock-").doesNotContain("secret");
				assertThat(ex.getPlatform()).isEqualTo("h2");
				assertThat(ex.getMissingColumns()).isNull();
				assertThat(ex.getCreateTableStatement()).isEqualTo("DDL of h2");
				assertThat(ex).hasMessageContaining("Lock table 'absent_lock' does not exist or cannot be read");
			});
	}

	@Test
	void verifyTableReportsAnUnreachableDatabaseAsAStoreFailure() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:distlock-absent;IFEXISTS=TRUE");
		assertThatExceptionOfType(LockStoreException.class)
			.isThrownBy(() -> JdbcLockSchema.verifyTable(dataSource, "distributed_lock", (platform) -> null))
			.isNotInstanceOf(InvalidLockTableException.class)
			.withMessageContaining("its database did not answer");
	}

	private static List<String> statements(String resource) throws IOException {
		return new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8)
			.lines()
			.filter((line) -> !line.startsWith("--"))
			.toList();
	}

}
