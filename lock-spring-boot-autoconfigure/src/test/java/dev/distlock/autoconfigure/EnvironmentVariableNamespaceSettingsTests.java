package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.distlock.annotation.DistributedLock;
import dev.distlock.annotation.OnFailure;
import dev.distlock.core.LockAttempt;
import dev.distlock.core.LockListener;
import dev.distlock.core.LockSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that per-namespace settings can be given as environment variables, through a real
 * {@link SystemEnvironmentPropertySource}, the auto-configuration and locked beans: the
 * variable names lose the {@code _}, {@code -} and {@code .} of namespaces, and namespace
 * settings are matched ignoring them.
 *
 * @author Distributed Lock team
 */
class EnvironmentVariableNamespaceSettingsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class))
		.withPropertyValues("distributed-lock.store=in-memory")
		.withUserConfiguration(LockedBeans.class);

	@Test
	void variableWithoutUnderscoresConfiguresANamespaceWithThem() {
		environment(Map.of("DISTRIBUTEDLOCK_NAMESPACES_TOKENREFRESH_WAITTIME", "2s")).run((context) -> {
			context.getBean(TokenRefresher.class).refresh();
			context.getBean(TokenService.class).refresh();
			RecordingListener attempts = context.getBean(RecordingListener.class);
			assertThat(attempts.settings("token_refresh").waitTime()).isEqualTo(Duration.ofSeconds(2));
			assertThat(attempts.settings("TokenService.refresh").waitTime()).isZero();
		});
	}

	@Test
	void variableWithoutTheDotConfiguresTheDefaultNamespaceOfAMethod() {
		environment(Map.of("DISTRIBUTEDLOCK_NAMESPACES_TOKENSERVICEREFRESH_LEASETIME", "45s")).run((context) -> {
			context.getBean(TokenService.class).refresh();
			context.getBean(TokenRefresher.class).refresh();
			RecordingListener attempts = context.getBean(RecordingListener.class);
			assertThat(attempts.settings("TokenService.refresh").leaseTime()).isEqualTo(Duration.ofSeconds(45));
			assertThat(attempts.settings("token_refresh").leaseTime()).isEqualTo(Duration.ofSeconds(30));
		});
	}

	@Test
	void variablesAreBoundToTheSettingsOfTheTemplate() {
		environment(Map.of("DISTRIBUTEDLOCK_NAMESPACES_TOKENREFRESH_WAITTIME", "2s",
				"DISTRIBUTEDLOCK_NAMESPACES_TOKENREFRESH_ONFAILURE", "skip"))
			.run((context) -> {
				LockSettings settings = context.getBean(LockSettings.class);
				LockSettings.NamespaceSettings tokenRefresh = settings.namespace("token_refresh");
				assertThat(tokenRefresh).isNotNull();
				assertThat(tokenRefresh.waitTime()).isEqualTo(Duration.ofSeconds(2));
				assertThat(tokenRefresh.onFailure()).isEqualTo(OnFailure.SKIP);
				assertThat(settings.configuredName("token_refresh")).isEqualTo("tokenrefresh");
			});
	}

	@Test
	void twoNamespacesMatchingOneSettingFailStartup() {
		environment(Map.of("DISTRIBUTEDLOCK_NAMESPACES_TOKENREFRESH_WAITTIME", "2s"))
			.withUserConfiguration(ClashingBeans.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("namespaces 'token_refresh' and 'token-refresh' are both configured by "
						+ "distributed-lock.namespaces.tokenrefresh"));
	}

	@Test
	void twoNamespacesThatNoSettingMatchesStartFine() {
		this.contextRunner.withUserConfiguration(ClashingBeans.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	/**
	 * Replace the system environment with the given variables, as the operating system
	 * would pass them.
	 */
	private ApplicationContextRunner environment(Map<String, Object> variables) {
		return this.contextRunner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)));
	}

	@Configuration(proxyBeanMethods = false)
	static class LockedBeans {

		@Bean
		TokenRefresher tokenRefresher() {
			return new TokenRefresher();
		}

		@Bean
		TokenService tokenService() {
			return new TokenService();
		}

		@Bean
		RecordingListener recordingListener() {
			return new RecordingListener();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClashingBeans {

		@Bean
		OtherTokenRefresher otherTokenRefresher() {
			return new OtherTokenRefresher();
		}

	}

	public static class TokenRefresher {

		@DistributedLock(namespace = "token_refresh")
		public String refresh() {
			return "refreshed";
		}

	}

	public static class OtherTokenRefresher {

		@DistributedLock(namespace = "token-refresh")
		public String refresh() {
			return "refreshed";
		}

	}

	public static class TokenService {

		@DistributedLock
		public String refresh() {
			return "refreshed";
		}

	}

	static class RecordingListener implements LockListener {

		private final Map<String, LockSettings.Resolved> settings = new ConcurrentHashMap<>();

		@Override
		public void onAcquiring(LockAttempt attempt) {
			this.settings.put(attempt.namespace(), attempt.settings());
		}

		LockSettings.Resolved settings(String namespace) {
			LockSettings.Resolved resolved = this.settings.get(namespace);
			assertThat(resolved).as("settings of a lock of namespace %s", namespace).isNotNull();
			return resolved;
		}

	}

}
