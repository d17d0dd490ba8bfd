package dev.distlock.autoconfigure;

import javax.sql.DataSource;

import dev.distlock.jdbc.TestDatabases;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC lock store's first run on H2, in a database of each test's own, and the
 * {@code distributed-lock.jdbc.schema} and {@code .platform} overrides.
 *
 * @author Distributed Lock team
 */
class JdbcLockTableStartupH2Tests extends AbstractJdbcLockTableStartupTests {

	@Override
	protected String createEmptySchema() {
		return TestDatabases.h2Url();
	}

	@Override
	protected void dropSchema() {
		TestDatabases.execute(dataSource(), "DROP ALL OBJECTS");
	}

	/**
	 * Spring Boot connects to an embedded database as {@code sa}, the first user, who
	 * owns it.
	 */
	@Override
	protected DataSource dataSource() {
		return new DriverManagerDataSource(url(), "sa", "");
	}

	@Override
	protected String platform() {
		return "h2";
	}

	@Override
	protected String productName() {
		return "H2";
	}

	@Override
	protected String typeOnlyThisDatabaseHas() {
		return "lock_namespace CHARACTER VARYING NOT NULL";
	}

	@Test
	void schemaAndPlatformChooseTheScriptThatCreatesTheTable() {
		contextRunner()
			.withPropertyValues("distributed-lock.jdbc.schema=classpath:distlock-test/schema-@@platform@@.sql",
					"distributed-lock.jdbc.platform=annotated", "distributed-lock.jdbc.table-name=annotated_lock")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				assertThat(jdbc.queryForObject("SELECT COUNT(note) FROM annotated_lock", Integer.class)).isZero();
			});
	}

	@Test
	void schemaAndPlatformChooseTheDdlOfTheAnalysis() {
		contextRunner()
			.withPropertyValues("distributed-lock.jdbc.schema=classpath:distlock-test/schema-@@platform@@.sql",
					"distributed-lock.jdbc.platform=annotated", "distributed-lock.jdbc.table-name=annotated_lock",
					"distributed-lock.jdbc.initialize-schema=never")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("table 'annotated_lock' does not exist");
				assertThat(analysis.getAction()).contains("CREATE TABLE IF NOT EXISTS annotated_lock (")
					.contains("note CHARACTER VARYING(100)")
					.contains("with distributed-lock.jdbc.table-name=annotated_lock, copy the DDL above");
			});
	}

	@Test
	void platformAloneChoosesAmongTheShippedScripts() {
		// H2 understands PostgreSQL's DDL for this table (TEXT, UUID): the override
		// shows.
		contextRunner()
			.withPropertyValues("distributed-lock.jdbc.platform=postgresql",
					"distributed-lock.jdbc.initialize-schema=never")
			.run((context) -> assertThat(analyze(context).getAction()).contains("lock_namespace TEXT NOT NULL")
				.contains("classpath:dev/distlock/jdbc/flyway/h2\n"));
	}

}
