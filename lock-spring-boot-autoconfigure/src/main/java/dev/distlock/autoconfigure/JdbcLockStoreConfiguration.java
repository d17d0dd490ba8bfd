package dev.distlock.autoconfigure;

import java.time.Duration;

import javax.sql.DataSource;

import dev.distlock.core.Durations;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockStoreException;
import dev.distlock.jdbc.InvalidLockTableException;
import dev.distlock.jdbc.JdbcLockCleanup;
import dev.distlock.jdbc.JdbcLockSchema;
import dev.distlock.jdbc.JdbcLockStore;
import dev.distlock.jdbc.JdbcLockStoreRuntimeHints;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.StringUtils;

/**
 * The JDBC lock store on the application's {@link DataSource}: chosen explicitly, or by
 * {@code auto} when there is a single {@code DataSource} and Redis was not chosen. The
 * lock table is created per {@code distributed-lock.jdbc.initialize-schema} and then
 * checked, before the store is built, and its rows of keys long free are deleted per
 * {@code distributed-lock.jdbc.cleanup.*}.
 *
 * @author Distributed Lock team
 */
@Configuration(proxyBeanMethods = false)
@ImportRuntimeHints(JdbcLockStoreRuntimeHints.class)
@ConditionalOnClass({ DataSource.class, JdbcTemplate.class })
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnMissingBean(LockStore.class)
@Conditional(LockStoreCondition.class)
class JdbcLockStoreConfiguration {

	private static final Log logger = LogFactory.getLog(DistributedLockAutoConfiguration.class);

	@Bean
	@DependsOnDatabaseInitialization
	JdbcLockStore jdbcLockStore(DataSource dataSource, DistributedLockProperties properties,
			ResourceLoader resourceLoader) {
		DistributedLockProperties.Jdbc jdbc = properties.getJdbc();
		String tableName = tableName(jdbc);
		Duration timeout = LockSettingsFactory.check("distributed-lock.jdbc.timeout", jdbc.getTimeout(),
				Durations.Rule.POSITIVE);
		verifyTable(dataSource, tableName, jdbc, resourceLoader);
		JdbcLockStore store = new JdbcLockStore(dataSource, tableName, timeout, null);
		logger.info("Using the JDBC lock store (table '" + tableName + "')");
		return store;
	}

	/*
	 * Check the table once the database initializers (this configuration's, Flyway's,
	 * Liquibase's) have run: a missing or wrong table fails startup with {@link
	 * InvalidLockTableException}, which {@link InvalidLockTableFailureAnalyzer} explains;
	 * a database that does not answer is only a warning, since it may come up later and
	 * the health shows it meanwhile.
	 */
	private static void verifyTable(DataSource dataSource, String tableName, DistributedLockProperties.Jdbc jdbc,
			ResourceLoader resourceLoader) {
		try {
			JdbcLockSchema.verifyTable(dataSource, tableName, (detected) -> {
				String platform = StringUtils.hasText(jdbc.getPlatform()) ? jdbc.getPlatform() : detected;
				return (platform != null) ? JdbcLockSchemaInitializer.createTableStatement(resourceLoader,
						jdbc.getSchema(), platform, tableName) : null;
			});
		}
		catch (InvalidLockTableException ex) {
			throw ex;
		}
		catch (LockStoreException ex) {
			logger.warn(ex.getMessage() + ". Locks fail with LockStoreException until it answers; the health of the"
					+ " lock store shows it.");
		}
	}

	static String tableName(DistributedLockProperties.Jdbc jdbc) {
		try {
			return JdbcLockSchema.validateTableName(jdbc.getTableName());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("distributed-lock.jdbc.table-name",
					jdbc.getTableName(),
					"Use letters, digits and underscores, optionally qualified by a schema " + "(schema.table).");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "distributed-lock.jdbc.cleanup.enabled", matchIfMissing = true)
	static class CleanupConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JdbcLockCleanup jdbcLockCleanup(DataSource dataSource, DistributedLockProperties properties) {
			DistributedLockProperties.Jdbc jdbc = properties.getJdbc();
			Duration timeout = LockSettingsFactory.check("distributed-lock.jdbc.timeout", jdbc.getTimeout(),
					Durations.Rule.POSITIVE);
			DistributedLockProperties.Cleanup cleanup = jdbc.getCleanup();
			Duration interval = LockSettingsFactory.check("distributed-lock.jdbc.cleanup.interval",
					cleanup.getInterval(), Durations.Rule.POSITIVE);
			Duration retention = LockSettingsFactory.check("distributed-lock.jdbc.cleanup.retention",
					cleanup.getRetention(), Durations.Rule.POSITIVE);
			if (retention.compareTo(jdbc.getTimeout()) <= 0) {
				// A new row's fencing tokens start from the database clock: only a row
				// older than any statement still running can be deleted safely.
				throw new InvalidConfigurationPropertyValueException("distributed-lock.jdbc.cleanup.retention",
						retention, "Must be longer than distributed-lock.jdbc.timeout (" + jdbc.getTimeout() + ").");
			}
			// A store of its own on the same table, not the lockStore bean: that bean may
			// be
			// wrapped (a test kit's recording store, a tracing decorator). Its calls run
			// on
			// the housekeeping thread, so it needs no executor.
			JdbcLockStore store = new JdbcLockStore(dataSource, tableName(jdbc), timeout, Runnable::run);
			return new JdbcLockCleanup(store, retention, interval);
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(MeterBinder.class)
		@ConditionalOnBooleanProperty(name = "distributed-lock.metrics.enabled", matchIfMissing = true)
		static class CleanupMetricsConfiguration {

			/*
			 * The counter {@code distributed.lock.jdbc.cleanup.rows}, bound to whichever
			 * meter registries Spring Boot configures.
			 */
			@Bean
			MeterBinder jdbcLockCleanupMeterBinder(JdbcLockCleanup cleanup) {
				return (registry) -> FunctionCounter
					.builder("distributed.lock.jdbc.cleanup.rows", cleanup, JdbcLockCleanup::getRowsRemoved)
					.description("Rows of keys free for longer than the retention deleted from the lock table")
					.baseUnit("rows")
					.tag("store", "jdbc")
					.register(registry);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DataSourceScriptDatabaseInitializer.class)
	@Import(DatabaseInitializationDependencyConfigurer.class)
	static class SchemaInitializationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JdbcLockSchemaInitializer jdbcLockSchemaInitializer(DataSource dataSource,
				DistributedLockProperties properties) {
			DistributedLockProperties.Jdbc jdbc = properties.getJdbc();
			return new JdbcLockSchemaInitializer(dataSource, tableName(jdbc), mode(jdbc.getInitializeSchema()),
					jdbc.getSchema(), jdbc.getPlatform());
		}

		private static DatabaseInitializationMode mode(DistributedLockProperties.InitializeSchema initializeSchema) {
			return switch (initializeSchema) {
				case EMBEDDED -> DatabaseInitializationMode.EMBEDDED;
				case ALWAYS -> DatabaseInitializationMode.ALWAYS;
				case NEVER -> DatabaseInitializationMode.NEVER;
			};
		}

	}

}
