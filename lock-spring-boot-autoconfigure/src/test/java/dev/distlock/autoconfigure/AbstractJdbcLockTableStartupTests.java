package dev.distlock.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockStores;
import dev.distlock.core.LockTemplate;
import dev.distlock.jdbc.InvalidLockTableException;
import dev.distlock.jdbc.JdbcLockStore;
import dev.distlock.jdbc.TestDatabases;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the JDBC lock store's first run on one database: the table checked at startup,
 * a missing or wrong one explained by {@link InvalidLockTableFailureAnalyzer}, and the
 * table created by {@code initialize-schema}, the shipped Flyway migration and the
 * shipped Liquibase changelog. Each test runs in a schema (a database, on MariaDB) of its
 * own, so the table keeps its default name.
 *
 * @author Distributed Lock team
 */
abstract class AbstractJdbcLockTableStartupTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DataSourceAutoConfiguration.class, DistributedLockAutoConfiguration.class));

	private String url;

	/**
	 * Return the URL of an empty schema of the database under test, created for one test.
	 * @return the JDBC URL, with credentials
	 */
	protected abstract String createEmptySchema();

	/**
	 * Drop the schema that {@link #createEmptySchema()} created.
	 */
	protected abstract void dropSchema();

	/**
	 * Return the platform of the database under test, as the shipped scripts name it.
	 * @return the platform
	 */
	protected abstract String platform();

	/**
	 * Return the product name that the database's driver reports.
	 * @return the product name
	 */
	protected abstract String productName();

	/**
	 * Return a fragment of the DDL that only this database's script has.
	 * @return the fragment
	 */
	protected abstract String typeOnlyThisDatabaseHas();

	@BeforeEach
	void createSchema() {
		this.url = createEmptySchema();
	}

	@AfterEach
	void cleanUp() {
		dropSchema();
	}

	protected ApplicationContextRunner contextRunner() {
		return this.contextRunner.withPropertyValues("spring.datasource.url=" + this.url,
				"spring.datasource.hikari.maximum-pool-size=4");
	}

	@Test
	void whenTheTableIsMissingStartupFailsWithAnAnalysisThatShowsTheDdl() throws Exception {
		contextRunner().withPropertyValues("distributed-lock.jdbc.initialize-schema=never").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("table 'distributed_lock' does not exist")
				.contains(productName() + " database at jdbc:")
				.doesNotContain("user=")
				.doesNotContain("password");
			assertThat(analysis.getAction()).contains("CREATE TABLE IF NOT EXISTS distributed_lock (")
				.contains(typeOnlyThisDatabaseHas())
				.doesNotContain("--")
				.contains("distributed-lock.jdbc.initialize-schema=always")
				.contains("spring.flyway.locations=classpath:db/migration,classpath:dev/distlock/jdbc/flyway/"
						+ platform())
				.contains("<include file=\"dev/distlock/jdbc/liquibase/changelog.xml\"/>");
			String script = new ClassPathResource("dev/distlock/jdbc/schema-" + platform() + ".sql")
				.getContentAsString(StandardCharsets.UTF_8);
			script.lines()
				.filter((line) -> !line.startsWith("--"))
				.forEach((line) -> assertThat(analysis.getAction()).contains("    " + line));
		});
	}

	@Test
	void whenTheTableLacksColumnsStartupFailsNamingThem() {
		TestDatabases.execute(dataSource(),
				"CREATE TABLE distributed_lock (lock_id CHAR(36) NOT NULL PRIMARY KEY, lock_key VARCHAR(100))");
		contextRunner().withPropertyValues("distributed-lock.jdbc.initialize-schema=always").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("table 'distributed_lock' in the " + productName())
				.contains("lacks the columns lock_namespace, owner, fencing_token, acquired_at, expires_at");
			assertThat(analysis.getAction()).contains("Drop the table 'distributed_lock'")
				.contains("CREATE TABLE IF NOT EXISTS distributed_lock (")
				.contains("Or, once it is dropped, let the application create it:\n\n"
						+ "    distributed-lock.jdbc.initialize-schema=always");
		});
	}

	@Test
	void whenInitializeSchemaIsAlwaysTheTableIsCreatedBeforeItIsChecked() {
		contextRunner().withPropertyValues("distributed-lock.jdbc.initialize-schema=always").run(this::assertLocksWork);
	}

	@Test
	void theShippedFlywayMigrationCreatesAWorkingTableBesideTheApplicationsOwn() {
		contextRunner().withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
			.withPropertyValues("distributed-lock.jdbc.initialize-schema=never",
					"spring.flyway.locations=classpath:db/distlock-app,classpath:dev/distlock/jdbc/flyway/"
							+ platform())
			.run((context) -> {
				assertLocksWork(context);
				assertThat(new JdbcTemplate(context.getBean(DataSource.class))
					.queryForObject("SELECT COUNT(*) FROM app_data", Integer.class)).isZero();
			});
	}

	@Test
	void theShippedLiquibaseChangelogCreatesAWorkingTableWhenIncludedInTheApplicationsOwn() throws Exception {
		DataSource dataSource = dataSource();
		try (Connection connection = dataSource.getConnection()) {
			Database database = DatabaseFactory.getInstance()
				.findCorrectDatabaseImplementation(new JdbcConnection(connection));
			new CommandScope(UpdateCommandStep.COMMAND_NAME)
				.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
				.addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, "db/distlock-app/changelog.xml")
				.execute();
		}
		contextRunner().withPropertyValues("distributed-lock.jdbc.initialize-schema=never").run(this::assertLocksWork);
	}

	private void assertLocksWork(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		JdbcLockStore store = context.getBean(JdbcLockStore.class);
		store.checkAvailability();
		LockKey key = LockKey.of("first-run", platform());
		assertThat(LockStores.acquire(store, key, "owner", Duration.ofSeconds(30))).isPresent();
		assertThat(LockStores.release(store, key, "owner")).isTrue();
		assertThat(context.getBean(LockTemplate.class).execute(key, () -> "locked")).isEqualTo("locked");
	}

	protected static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(SQLException.class);
		FailureAnalysis analysis = new InvalidLockTableFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
		assertThat(analysis.getCause()).isInstanceOf(InvalidLockTableException.class);
		return analysis;
	}

	protected DataSource dataSource() {
		return new DriverManagerDataSource(this.url);
	}

	protected String url() {
		return this.url;
	}

}
