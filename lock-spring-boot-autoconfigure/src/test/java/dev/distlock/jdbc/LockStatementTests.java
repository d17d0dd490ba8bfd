package dev.distlock.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LockStatement}.
 *
 * @author Distributed Lock team
 */
class LockStatementTests {

	@Test
	void compactCollapsesWhiteSpaceOutsideLiterals() {
		assertThat(LockStatement.compact("\n\tSELECT  a,\n\t\tb\r\nFROM t WHERE c = 'x \t  y'  \n"))
			.isEqualTo("SELECT a, b FROM t WHERE c = 'x \t  y'");
	}

	@Test
	void loadedStatementsHaveNoRunsOfWhiteSpaceAndPositionalParameters() {
		for (JdbcLockDialect dialect : JdbcLockDialect.values()) {
			LockStatement statement = LockStatement.load(dialect, "acquire", "distributed_lock");
			assertThat(statement.sql()).doesNotContain("\n", "\t", "  ", ":id", ":owner");
			assertThat(statement.sql()).startsWith((dialect == JdbcLockDialect.H2) ? "SELECT" : "UPDATE");
		}
	}

	@Test
	void aListParameterBecomesAsManyPlaceholdersAsValues() {
		LockStatement statement = LockStatement.load(JdbcLockDialect.MYSQL, "cleanup-delete", "distributed_lock");
		assertThat(statement.sql(3)).contains("lock_id IN (?, ?, ?)");
	}

}
