package dev.distlock.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator end-to-end tests on the JDBC store, on an H2 database served over TCP by a
 * server this test starts and, last, stops: health then turns DOWN with the reason.
 *
 * @author Distributed Lock team
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
class JdbcDistributedLockActuatorIntegrationTests extends AbstractDistributedLockActuatorIntegrationTests {

	private static Server server;

	@DynamicPropertySource
	static void databaseProperties(DynamicPropertyRegistry registry) throws SQLException, IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists", "-tcpDaemon").start();
		String url = "jdbc:h2:tcp://localhost:" + port + "/mem:actuator-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		registry.add("spring.datasource.url", () -> url);
		registry.add("spring.datasource.username", () -> "sa");
		// A stopped server must fail the health check in seconds, not after 30 s.
		registry.add("spring.datasource.hikari.connection-timeout", () -> "2000");
		registry.add("distributed-lock.store", () -> "jdbc");
		// The database is served over TCP, so Spring Boot does not treat it as embedded.
		registry.add("distributed-lock.jdbc.initialize-schema", () -> "always");
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.stop();
		}
	}

	@Override
	protected String expectedStore() {
		return "jdbc";
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void healthTurnsDownWithTheReasonOnceTheStoreIsStopped() {
		assertThat(JsonPath.<String>read(get("/health"), "$.components.distributedLock.status")).isEqualTo("UP");
		server.stop();
		String health = get("/health");
		assertThat(JsonPath.<String>read(health, "$.status")).isEqualTo("DOWN");
		assertThat(JsonPath.<String>read(health, "$.components.distributedLock.status")).isEqualTo("DOWN");
		assertThat(JsonPath.<String>read(health, "$.components.distributedLock.details.store")).isEqualTo("jdbc");
		assertThat(JsonPath.<String>read(health, "$.components.distributedLock.details.error"))
			.startsWith("dev.distlock.core.LockStoreException: Lock table 'distributed_lock' is not available");
	}

}
