package dev.distlock.benchmarks.compare;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link BenchSettings}.
 */
class BenchSettingsTests {

	@Test
	void defaultsToTheServersOnThisMachine() {
		BenchSettings settings = BenchSettings.read((name) -> null, (name) -> null);
		assertThat(settings.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
		assertThat(settings.postgresUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
		assertThat(settings.mariadbUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/test?user=root&sslMode=disable");
		assertThat(settings.stores()).containsExactly(Contender.Store.REDIS, Contender.Store.POSTGRESQL,
				Contender.Store.MARIADB);
		assertThat(settings.threads()).containsExactly(1, 16);
		assertThat(settings.contendedThreads()).isEqualTo(8);
		assertThat(settings.rounds()).isEqualTo(2);
		assertThat(settings.scenarios()).containsExactly(Scenario.Kind.values());
		assertThat(settings.idleNodes()).isEqualTo(32);
		assertThat(settings.renewal()).isEqualTo(new BenchSettings.Renewal(10_000, Duration.ofSeconds(3), 3));
		assertThat(settings.renewal().period()).isEqualTo(Duration.ofSeconds(1));
		assertThat(settings.waiters())
			.isEqualTo(new BenchSettings.Waiters(10_000, Duration.ofNanos(100_000), Duration.ofMinutes(2)));
		assertThat(settings.asyncCallers()).containsExactly(1, 16);
	}

	@Test
	void runsOnlyTheScenariosNamed() {
		BenchSettings settings = BenchSettings.read(Map.of("bench.scenarios", "renewal, waiters")::get, (name) -> null);
		assertThat(settings.scenarios()).containsExactly(Scenario.Kind.RENEWAL, Scenario.Kind.WAITERS);
		Contender everywhere = new Contender("ours", "ours", Contender.Store.REDIS, Contender.Role.OURS, "", () -> {
			throw new UnsupportedOperationException();
		}, EnumSet.allOf(Scenario.Kind.class));
		assertThat(settings.includes(everywhere, Scenario.Kind.RENEWAL)).isTrue();
		assertThat(settings.includes(everywhere, Scenario.Kind.UNCONTENDED)).isFalse();
		assertThat(settings.includes(contender("classic", Contender.Role.PEER), Scenario.Kind.WAITERS)).isFalse();
	}

	@Test
	void namesTheKnownScenariosWhenOneIsMisspelt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchSettings.read(Map.of("bench.scenarios", "renewals")::get, (name) -> null))
			.withMessageContaining("Unknown scenario 'renewals'")
			.withMessageContaining("renewal, waiters");
	}

	@Test
	void takesTheTestServersFromTheEnvironment() {
		BenchSettings settings = BenchSettings.read((name) -> null,
				Map.of("DISTLOCK_TEST_REDIS_URL", "redis://10.0.0.1:6390")::get);
		assertThat(settings.redisUrl()).isEqualTo("redis://10.0.0.1:6390");
	}

	@Test
	void systemPropertiesWinOverTheEnvironment() {
		BenchSettings settings = BenchSettings.read(Map.of("bench.redis.url", "redis://127.0.0.2:6379", "bench.stores",
				"mariadb", "bench.measure", "250ms", "bench.threads", "2, 4")::get,
				Map.of("DISTLOCK_TEST_REDIS_URL", "redis://10.0.0.1:6390")::get);
		assertThat(settings.redisUrl()).isEqualTo("redis://127.0.0.2:6379");
		assertThat(settings.stores()).containsExactly(Contender.Store.MARIADB);
		assertThat(settings.measure()).isEqualTo(Duration.ofMillis(250));
		assertThat(settings.threads()).containsExactly(2, 4);
	}

	@Test
	void onlyKeepsMatchingContendersAndAlwaysTheFloor() {
		BenchSettings settings = BenchSettings.read(Map.of("bench.only", "redisson")::get, (name) -> null);
		assertThat(settings.includes(contender("Redisson RLock", Contender.Role.PEER))).isTrue();
		assertThat(settings.includes(contender("ShedLock", Contender.Role.PEER))).isFalse();
		assertThat(settings.includes(contender("floor", Contender.Role.FLOOR))).isTrue();
	}

	private static Contender contender(String name, Contender.Role role) {
		return new Contender(name, name, Contender.Store.REDIS, role, "", () -> {
			throw new UnsupportedOperationException();
		});
	}

}
