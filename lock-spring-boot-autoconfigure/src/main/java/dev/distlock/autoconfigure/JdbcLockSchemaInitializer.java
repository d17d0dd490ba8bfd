package dev.distlock.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.distlock.jdbc.JdbcLockSchema;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;

/**
 * Creates the JDBC lock table with Spring Boot's script initialisation, from
 * {@value JdbcLockSchema#SCHEMA_LOCATION} with the configured table name, as
 * {@code distributed-lock.jdbc.initialize-schema} says. Being a
 * {@link DataSourceScriptDatabaseInitializer}, it is a database initializer that beans
 * annotated with {@code @DependsOnDatabaseInitialization} wait for.
 *
 * @author Distributed Lock team
 */
public class JdbcLockSchemaInitializer extends DataSourceScriptDatabaseInitializer {

	private final String tableName;

	/**
	 * Create an initializer.
	 * @param dataSource the data source of the lock table
	 * @param tableName the lock table's name
	 * @param mode when to create the table
	 */
	public JdbcLockSchemaInitializer(DataSource dataSource, String tableName, DatabaseInitializationMode mode) {
		super(dataSource, settings(dataSource, mode));
		this.tableName = JdbcLockSchema.validateTableName(tableName);
	}

	private static DatabaseInitializationSettings settings(DataSource dataSource, DatabaseInitializationMode mode) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		settings.setMode(mode);
		// Resolving the platform opens a connection: not worth it when nothing will run.
		settings.setSchemaLocations((mode != DatabaseInitializationMode.NEVER)
				? new PlatformPlaceholderDatabaseDriverResolver().withDriverPlatform(DatabaseDriver.MARIADB, "mysql")
					.resolveAll(dataSource, JdbcLockSchema.SCHEMA_LOCATION)
				: List.of());
		return settings;
	}

	@Override
	protected void runScripts(Scripts scripts) {
		Charset encoding = (scripts.getEncoding() != null) ? scripts.getEncoding() : StandardCharsets.UTF_8;
		List<Resource> renamed = new ArrayList<>();
		for (Resource script : scripts) {
			try {
				String ddl = JdbcLockSchema.withTableName(script.getContentAsString(encoding), this.tableName);
				renamed.add(new ByteArrayResource(ddl.getBytes(StandardCharsets.UTF_8), script.getDescription()));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Failed to read " + script, ex);
			}
		}
		super.runScripts(new Scripts(renamed).continueOnError(scripts.isContinueOnError())
			.separator(scripts.getSeparator())
			.encoding(StandardCharsets.UTF_8));
	}

}
