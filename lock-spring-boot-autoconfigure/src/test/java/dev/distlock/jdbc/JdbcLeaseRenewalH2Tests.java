package dev.distlock.jdbc;

/**
 * Renewals in batches on H2 in memory.
 *
 * @author Distributed Lock team
 */
class JdbcLeaseRenewalH2Tests extends AbstractJdbcLeaseRenewalTests {

	@Override
	protected String jdbcUrl() {
		return TestDatabases.h2Url();
	}

}
