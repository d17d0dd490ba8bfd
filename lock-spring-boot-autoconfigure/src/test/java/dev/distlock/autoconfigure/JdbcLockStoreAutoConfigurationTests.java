package dev.distlock.autoconfigure;

import java.time.Duration;

import javax.sql.DataSource;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockStores;
import dev.distlock.core.LockTemplate;
import dev.distlock.jdbc.JdbcLockStore;
import dev.distlock.jdbc.TestDatabases;
import dev.distlock.memory.InMemoryLockStore;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the JDBC store configuration of {@link DistributedLockAutoConfiguration}.
 *
 * @author Distributed Lock team
 */
class JdbcLockStoreAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DataSourceAutoConfiguration.class, DistributedLockAutoConfiguration.class));

	@Test
	void whenAutoFindsADataSourceShouldUseJdbcWithTheTableCreated() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(JdbcLockStore.class);
			assertThat(context).doesNotHaveBean(InMemoryLockStore.class);
			JdbcLockStore registry = context.getBean(JdbcLockStore.class);
			assertThat(registry.getTableName()).isEqualTo("distributed_lock");
			registry.checkAvailability();
			LockTemplate template = context.getBean(LockTemplate.class);
			assertThat(template.execute(LockKey.of("auto", 1), () -> "locked")).isEqualTo("locked");
		});
	}

	@Test
	void whenJdbcIsChosenShouldUseJdbc() {
		this.contextRunner.withPropertyValues("distributed-lock.store=jdbc")
			.run((context) -> assertThat(context).hasSingleBean(JdbcLockStore.class));
	}

	@Test
	void whenJdbcIsChosenWithoutADataSourceShouldFailNamingTheProperty() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class))
			.withPropertyValues("distributed-lock.store=jdbc")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("distributed-lock.store")
					.hasMessageContaining("DataSource");
			});
	}

	@Test
	void whenAnotherStoreIsChosenShouldNotUseJdbc() {
		this.contextRunner.withPropertyValues("distributed-lock.store=in-memory").run((context) -> {
			assertThat(context).doesNotHaveBean(JdbcLockStore.class);
			assertThat(context).doesNotHaveBean(JdbcLockSchemaInitializer.class);
			assertThat(context).hasSingleBean(InMemoryLockStore.class);
		});
	}

	@Test
	void whenTheUserDefinesALockRegistryShouldUseIt() {
		this.contextRunner.withUserConfiguration(UserRegistryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(LockStore.class);
			assertThat(context.getBean(LockStore.class)).isSameAs(context.getBean("userLockRegistry"));
		});
	}

	@Test
	void whenSpringJdbcIsAbsentShouldFallBackToInMemory() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.withUserConfiguration(PlainDataSourceConfiguration.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(JdbcLockStore.class);
				assertThat(context).hasSingleBean(InMemoryLockStore.class);
			});
	}

	@Test
	void whenDisabledShouldCreateNothing() {
		this.contextRunner.withPropertyValues("distributed-lock.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(LockStore.class);
			assertThat(context).doesNotHaveBean(JdbcLockSchemaInitializer.class);
		});
	}

	@Test
	void whenSchemaInitializationIsNeverShouldNotCreateTheTableAndFailStartup() {
		this.contextRunner.withPropertyValues("distributed-lock.jdbc.initialize-schema=never")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.satisfies(
						(failure) -> assertThat(new InvalidLockTableFailureAnalyzer().analyze(failure)).isNotNull()));
	}

	@Test
	void tableNameIsHonoured() {
		this.contextRunner.withPropertyValues("distributed-lock.jdbc.table-name=custom_locks").run((context) -> {
			JdbcLockStore registry = context.getBean(JdbcLockStore.class);
			assertThat(registry.getTableName()).isEqualTo("custom_locks");
			registry.checkAvailability();
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(LockStores.acquire(registry, LockKey.of("custom", 1), "owner", Duration.ofSeconds(30)))
				.isPresent();
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM custom_locks", Integer.class)).isOne();
		});
	}

	@Test
	void invalidTableNameFailsStartup() {
		this.contextRunner.withPropertyValues("distributed-lock.jdbc.table-name=locks; drop table x")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("distributed-lock.jdbc.table-name")
				.hasMessageContaining("letters, digits and underscores"));
	}

	@Test
	void storeWaitsForTheSchemaInitializer() {
		this.contextRunner
			.run((context) -> assertThat(context.getBeanFactory().getBeanDefinition("jdbcLockStore").getDependsOn())
				.contains("jdbcLockSchemaInitializer"));
	}

	@Test
	@Tag("server")
	void schemaIsCreatedOnAServerDatabaseOnlyWhenAlways() {
		String table = TestDatabases.uniqueTableName();
		ApplicationContextRunner postgres = this.contextRunner.withPropertyValues(
				"spring.datasource.url=" + TestDatabases.postgresUrl(), "distributed-lock.jdbc.table-name=" + table);
		postgres.run((context) -> assertThat(context).as("not created by default on a server database")
			.hasFailed()
			.getFailure()
			.satisfies((failure) -> assertThat(new InvalidLockTableFailureAnalyzer().analyze(failure)).isNotNull()));
		postgres.withPropertyValues("distributed-lock.jdbc.initialize-schema=always").run((context) -> {
			try {
				context.getBean(JdbcLockStore.class).checkAvailability();
				LockTemplate template = context.getBean(LockTemplate.class);
				assertThat(template.execute(LockKey.of("always", 1), () -> "locked")).isEqualTo("locked");
			}
			finally {
				TestDatabases.dropTable(context.getBean(DataSource.class), table);
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserRegistryConfiguration {

		@Bean
		LockStore userLockRegistry() {
			return new InMemoryLockStore();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlainDataSourceConfiguration {

		@Bean
		DataSource dataSource() {
			JdbcDataSource dataSource = new JdbcDataSource();
			dataSource.setURL(TestDatabases.h2Url());
			return dataSource;
		}

	}

}
