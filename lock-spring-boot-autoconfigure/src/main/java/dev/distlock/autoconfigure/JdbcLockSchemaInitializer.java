package dev.distlock.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.distlock.jdbc.JdbcLockSchema;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;

/**
 * Creates the JDBC lock table with Spring Boot's script initialisation, from
 * {@code distributed-lock.jdbc.schema} (by default
 * {@value JdbcLockSchema#SCHEMA_LOCATION}) with the configured table name, as
 * {@code distributed-lock.jdbc.initialize-schema} says. The {@code @@platform@@}
 * placeholder is {@code distributed-lock.jdbc.platform} if set, else the platform the
 * store detects ({@link JdbcLockSchema#platform}). A database that cannot be reached at
 * startup is logged and left alone: startup goes on, and the lock store's health shows
 * it. Being a {@link DataSourceScriptDatabaseInitializer}, it is a database initializer
 * that beans annotated with {@code @DependsOnDatabaseInitialization} wait for.
 *
 * @author Distributed Lock team
 */
public class JdbcLockSchemaInitializer extends DataSourceScriptDatabaseInitializer {

	private static final Log logger = LogFactory.getLog(JdbcLockSchemaInitializer.class);

	private final DatabaseInitializationSettings settings;

	private final String tableName;

	private final String schemaLocation;

	private final @Nullable String platform;

	/**
	 * Create an initializer that runs the shipped script for the detected platform.
	 * @param dataSource the data source of the lock table
	 * @param tableName the lock table's name
	 * @param mode when to create the table
	 */
	public JdbcLockSchemaInitializer(DataSource dataSource, String tableName, DatabaseInitializationMode mode) {
		this(dataSource, tableName, mode, JdbcLockSchema.SCHEMA_LOCATION, null);
	}

	/**
	 * Create an initializer.
	 * @param dataSource the data source of the lock table
	 * @param tableName the lock table's name
	 * @param mode when to create the table
	 * @param schemaLocation the script's location, with an optional {@code @@platform@@}
	 * placeholder
	 * @param platform the platform to put in place of {@code @@platform@@}, or
	 * {@code null} to detect it from the database
	 */
	public JdbcLockSchemaInitializer(DataSource dataSource, String tableName, DatabaseInitializationMode mode,
			String schemaLocation, @Nullable String platform) {
		this(dataSource, tableName, settings(mode), schemaLocation, platform);
	}

	private JdbcLockSchemaInitializer(DataSource dataSource, String tableName, DatabaseInitializationSettings settings,
			String schemaLocation, @Nullable String platform) {
		super(dataSource, settings);
		this.settings = settings;
		this.tableName = JdbcLockSchema.validateTableName(tableName);
		this.schemaLocation = schemaLocation;
		this.platform = StringUtils.hasText(platform) ? platform : null;
	}

	private static DatabaseInitializationSettings settings(DatabaseInitializationMode mode) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		settings.setMode(mode);
		return settings;
	}

	/**
	 * Resolve the script's location for the platform, then create the table. The platform
	 * is resolved here rather than when the initializer is built, so that nothing
	 * connects when nothing will run, and a database that is down is a warning rather
	 * than a failed startup.
	 */
	@Override
	public boolean initializeDatabase() {
		DatabaseInitializationMode mode = this.settings.getMode();
		if (mode == DatabaseInitializationMode.NEVER
				|| (mode == DatabaseInitializationMode.EMBEDDED && !isEmbeddedDatabase())) {
			return false;
		}
		String platform;
		try {
			platform = platform();
		}
		catch (SQLException ex) {
			logger.warn("Lock table '" + this.tableName + "' not initialized: its database did not answer (SQLState "
					+ ex.getSQLState() + "): " + ex.getMessage()
					+ ". Locks fail with LockStoreException until it does; the health of the lock store shows it.");
			return false;
		}
		this.settings.setSchemaLocations(resolve(this.schemaLocation, platform));
		return super.initializeDatabase();
	}

	private String platform() throws SQLException {
		if (this.platform != null) {
			return this.platform;
		}
		try (Connection connection = getDataSource().getConnection()) {
			return JdbcLockSchema.platform(connection);
		}
	}

	private static List<String> resolve(String location, String platform) {
		return new PlatformPlaceholderDatabaseDriverResolver().resolveAll(platform, location);
	}

	@Override
	protected void runScripts(Scripts scripts) {
		Charset encoding = (scripts.getEncoding() != null) ? scripts.getEncoding() : StandardCharsets.UTF_8;
		List<Resource> renamed = new ArrayList<>();
		for (Resource script : scripts) {
			renamed.add(new ByteArrayResource(read(script, encoding, this.tableName).getBytes(StandardCharsets.UTF_8),
					script.getDescription()));
		}
		super.runScripts(new Scripts(renamed).continueOnError(scripts.isContinueOnError())
			.separator(scripts.getSeparator())
			.encoding(StandardCharsets.UTF_8));
	}

	/**
	 * Return the lock table's DDL as the initializer would run it: the script at the
	 * location, for the platform, with the table name in place of
	 * {@value JdbcLockSchema#DEFAULT_TABLE_NAME}.
	 * @param resourceLoader the loader of the script
	 * @param schemaLocation the script's location, with an optional {@code @@platform@@}
	 * placeholder
	 * @param platform the platform
	 * @param tableName the table name
	 * @return the DDL, or {@code null} if there is no script at that location
	 */
	static @Nullable String createTableStatement(ResourceLoader resourceLoader, String schemaLocation, String platform,
			String tableName) {
		Resource script = resourceLoader.getResource(resolve(schemaLocation, platform).get(0));
		return script.exists() ? read(script, StandardCharsets.UTF_8, tableName) : null;
	}

	private static String read(Resource script, Charset encoding, String tableName) {
		try {
			return JdbcLockSchema.withTableName(script.getContentAsString(encoding), tableName);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read " + script, ex);
		}
	}

}
