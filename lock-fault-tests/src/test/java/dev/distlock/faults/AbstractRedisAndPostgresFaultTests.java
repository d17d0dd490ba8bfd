package dev.distlock.faults;

import dev.distlock.faults.servers.PrivateRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * Scenarios on the suite's private Redis, started for the class, and its private
 * PostgreSQL, shared by the whole suite.
 *
 * @author Distributed Lock team
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractRedisAndPostgresFaultTests {

	protected PrivateRedis redis;

	@BeforeAll
	void startServers() {
		this.redis = PrivateRedis.start();
		FaultEnvironment.postgres();
	}

	@AfterAll
	void stopServers() {
		if (this.redis != null) {
			this.redis.close();
		}
	}

	/**
	 * Return the port of the private server of a store.
	 * @param store Redis or PostgreSQL
	 * @return its port
	 */
	protected int port(Stores store) {
		return (store == Stores.REDIS) ? this.redis.port() : FaultEnvironment.postgres().port();
	}

}
