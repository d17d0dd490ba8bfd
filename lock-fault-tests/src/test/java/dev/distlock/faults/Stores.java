package dev.distlock.faults;

import java.util.Map;
import java.util.function.IntFunction;

/**
 * The stores a scenario runs on, with the node properties for a port (the server's, or a
 * proxy's in front of it).
 *
 * @author Distributed Lock team
 */
enum Stores {

	/** The Redis store on a private {@code redis-server}. */
	REDIS("Redis", FaultEnvironment::redisNode),

	/** The JDBC store on the private PostgreSQL. */
	POSTGRESQL("PostgreSQL", FaultEnvironment::postgresNode),

	/** The JDBC store on a private MariaDB. */
	MARIADB("MariaDB", FaultEnvironment::mariaDbNode);

	private final String displayName;

	private final IntFunction<Map<String, String>> properties;

	Stores(String displayName, IntFunction<Map<String, String>> properties) {
		this.displayName = displayName;
		this.properties = properties;
	}

	Map<String, String> node(int port) {
		return this.properties.apply(port);
	}

	@Override
	public String toString() {
		return this.displayName;
	}

}
