package dev.distlock.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.distlock.jdbc.TestDatabases;
import dev.distlock.redis.RedisServerSupport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the chosen lock store is named once at startup, so that an operator reading
 * the log knows where the locks live.
 *
 * @author Distributed Lock team
 */
@ExtendWith(OutputCaptureExtension.class)
class LockStoreStartupLogTests {

	private static final Pattern USING = Pattern.compile("^.*\\b(INFO|WARN)\\b.*(Using|using) the (.*) lock store.*$",
			Pattern.MULTILINE);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class));

	@Test
	void jdbcStoreIsLoggedOnceAtInfo(CapturedOutput output) {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + TestDatabases.h2Url())
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(storeLines(output)).singleElement()
			.satisfies((line) -> assertThat(line).contains("INFO")
				.contains("Using the JDBC lock store (table 'distributed_lock')"));
	}

	@Test
	void inMemoryStoreChosenExplicitlyIsLoggedOnceAtInfo(CapturedOutput output) {
		this.contextRunner.withPropertyValues("distributed-lock.store=in-memory")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(storeLines(output)).singleElement()
			.satisfies((line) -> assertThat(line).contains("INFO")
				.contains("Using the in-memory lock store: locks are local to this JVM"));
	}

	@Test
	void inMemoryStoreChosenByAutoIsLoggedOnceAtWarn(CapturedOutput output) {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed());
		assertThat(storeLines(output)).singleElement()
			.satisfies((line) -> assertThat(line).contains("WARN")
				.contains("No RedisConnectionFactory or DataSource found: using the in-memory lock store")
				.contains("Set distributed-lock.store=in-memory to confirm this choice"));
	}

	private static List<String> storeLines(CapturedOutput output) {
		List<String> lines = new ArrayList<>();
		Matcher matcher = USING.matcher(output.getOut());
		while (matcher.find()) {
			lines.add(matcher.group());
		}
		return lines;
	}

	@Nested
	@Tag("server")
	class WithRedis {

		@Test
		void redisStoreIsLoggedOnceAtInfo(CapturedOutput output) {
			RedisStandaloneConfiguration server = RedisServerSupport.sharedServer();
			LockStoreStartupLogTests.this.contextRunner
				.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
				.withPropertyValues("spring.data.redis.host=" + server.getHostName(),
						"spring.data.redis.port=" + server.getPort(),
						"spring.data.redis.database=" + server.getDatabase())
				.run((context) -> assertThat(context).hasNotFailed());
			assertThat(storeLines(output)).singleElement()
				.satisfies((line) -> assertThat(line).contains("INFO")
					.contains("Using the Redis lock store (LettuceConnectionFactory, key prefix 'lock:')"));
		}

	}

}
