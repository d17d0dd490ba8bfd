package dev.distlock.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

import dev.distlock.jdbc.InvalidLockTableException;
import dev.distlock.jdbc.JdbcLockSchema;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidLockTableException} at startup: which table in which
 * database, the {@code CREATE TABLE} for that database, and the ways to have it created
 * ({@code distributed-lock.jdbc.initialize-schema=always}, the shipped Flyway migration
 * and Liquibase changelog).
 *
 * @author Distributed Lock team
 */
class InvalidLockTableFailureAnalyzer extends AbstractFailureAnalyzer<InvalidLockTableException> {

	static final String FLYWAY_LOCATION = "classpath:dev/distlock/jdbc/flyway/";

	static final String LIQUIBASE_CHANGELOG = "dev/distlock/jdbc/liquibase/changelog.xml";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidLockTableException cause) {
		return new FailureAnalysis(description(cause), action(cause), cause);
	}

	private static String description(InvalidLockTableException ex) {
		String database = ex.getDatabaseProductName() + " database at " + ex.getDatabaseUrl();
		List<String> missingColumns = ex.getMissingColumns();
		if (missingColumns == null) {
			String answer = (ex.getCause() != null) ? ex.getCause().getMessage() : null;
			return "The JDBC lock store's table '" + ex.getTableName() + "' does not exist, or cannot be read, in the "
					+ database + "." + ((answer != null) ? "\n\nThe database answered: " + answer : "");
		}
		return "The JDBC lock store's table '" + ex.getTableName() + "' in the " + database + " lacks the columns "
				+ String.join(", ", missingColumns) + ".";
	}

	private static String action(InvalidLockTableException ex) {
		StringBuilder action = new StringBuilder();
		String ddl = ex.getCreateTableStatement();
		String database = (ex.getDatabaseProductName() != null) ? ex.getDatabaseProductName() : "this database";
		if (ex.getMissingColumns() != null) {
			action.append("Drop the table '")
				.append(ex.getTableName())
				.append("' or configure another distributed-lock.jdbc.table-name, then create it as the lock store"
						+ " expects");
		}
		else {
			action.append("Create the lock table '").append(ex.getTableName()).append("'");
		}
		if (ddl != null) {
			action.append(". For ")
				.append(database)
				.append(":\n\n")
				.append(indent(withoutComments(ddl)))
				.append("\n\n");
		}
		else {
			action.append(" with the DDL of the lock store's documentation (the JDBC lock store has statements for"
					+ " PostgreSQL, MySQL, MariaDB and H2).\n\n");
		}
		// Neither route alters an existing table: for a wrong one, they come after the
		// drop.
		action
			.append((ex.getMissingColumns() != null) ? "Or, once it is dropped, let the application create it"
					: "Or let the application create it at startup, if it does not exist")
			.append(":\n\n    distributed-lock.jdbc.initialize-schema=always\n\n");
		String platform = ex.getPlatform();
		action.append(
				"Or add the lock store's Flyway migration to the application's own:\n\n    spring.flyway.locations=classpath:db/migration,")
			.append(FLYWAY_LOCATION)
			.append((platform != null) ? platform : "{postgresql,mysql,h2}")
			.append("\n\nor include its Liquibase changelog in the application's own:\n\n    <include file=\"")
			.append(LIQUIBASE_CHANGELOG)
			.append("\"/>\n\nThese create a table named ")
			.append(JdbcLockSchema.DEFAULT_TABLE_NAME);
		if (!JdbcLockSchema.DEFAULT_TABLE_NAME.equals(ex.getTableName())) {
			action.append(": with distributed-lock.jdbc.table-name=")
				.append(ex.getTableName())
				.append(", copy the DDL above into a migration of the application's own instead");
		}
		action.append(".");
		return action.toString();
	}

	private static String withoutComments(String ddl) {
		return ddl.lines()
			.filter((line) -> !line.strip().startsWith("--") && !line.isBlank())
			.collect(Collectors.joining("\n"));
	}

	private static String indent(String text) {
		return text.lines().map((line) -> "    " + line).collect(Collectors.joining("\n"));
	}

}
