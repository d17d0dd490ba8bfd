package dev.distlock.benchmarks.compare;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
