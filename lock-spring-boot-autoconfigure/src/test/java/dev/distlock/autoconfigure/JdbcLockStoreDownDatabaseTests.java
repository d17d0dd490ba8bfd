package dev.distlock.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;

import dev.distlock.actuate.DistributedLockHealthIndicator;
import dev.distlock.core.LockStoreException;
import dev.distlock.jdbc.JdbcLockStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that a database which is down at startup does not stop the application: only a
 * missing or wrong lock table does. The lock store's health and its operations show it.
 *
 * @author Distributed Lock team
 */
@ExtendWith(OutputCaptureExtension.class)
class JdbcLockStoreDownDatabaseTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DataSourceAutoConfiguration.class, DistributedLockAutoConfiguration.class));

	@ParameterizedTest
	@ValueSource(strings = { "embedded", "always", "never" })
	void whenTheDatabaseIsDownStartupGoesOnWithAWarning(String initializeSchema, CapturedOutput output)
			throws IOException {
		this.contextRunner
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:" + closedPort() + "/test",
					"spring.datasource.hikari.connection-timeout=250",
					"distributed-lock.jdbc.initialize-schema=" + initializeSchema)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				JdbcLockStore store = context.getBean(JdbcLockStore.class);
				assertThat(new DistributedLockHealthIndicator(store).health().getStatus()).isEqualTo(Status.DOWN);
				assertThatExceptionOfType(LockStoreException.class).isThrownBy(store::checkAvailability);
				assertThat(output).contains("WARN")
					.contains("Could not check lock table 'distributed_lock': its database did not answer");
			});
	}

	@Test
	void whenTheDatabaseIsDownAndSchemaCreationIsAlwaysTheInitializerWarns(CapturedOutput output) throws IOException {
		this.contextRunner
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:" + closedPort() + "/test",
					"spring.datasource.hikari.connection-timeout=250", "distributed-lock.jdbc.initialize-schema=always")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output)
					.contains("Lock table 'distributed_lock' not initialized: its database did not answer");
			});
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
