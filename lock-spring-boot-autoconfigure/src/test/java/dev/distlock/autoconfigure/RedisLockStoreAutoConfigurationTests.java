package dev.distlock.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockStores;
import dev.distlock.core.LockTemplate;
import dev.distlock.memory.InMemoryLockStore;
import dev.distlock.redis.RedisLockStore;
import dev.distlock.redis.RedisServerSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the Redis store configuration of {@link DistributedLockAutoConfiguration}.
 * Contexts that take a lock talk to the same real Redis as the store's own tests.
 *
 * @author Distributed Lock team
 */
@Tag("server")
class RedisLockStoreAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataRedisAutoConfiguration.class, DistributedLockAutoConfiguration.class))
		.withPropertyValues(redisProperties());

	@Test
	void whenAConnectionFactoryExistsAutoShouldUseRedis() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RedisLockStore.class).doesNotHaveBean(InMemoryLockStore.class);
			assertThat(context.getBean(LockStore.class).storeName()).isEqualTo("redis");
			assertLockWorks(context);
		});
	}

	@Test
	void whenRedisIsChosenExplicitlyShouldUseRedis() {
		this.contextRunner.withPropertyValues("distributed-lock.store=redis")
			.run((context) -> assertThat(context).hasSingleBean(RedisLockStore.class));
	}

	@Test
	void whenAnotherStoreIsChosenShouldNotUseRedis() {
		this.contextRunner.withPropertyValues("distributed-lock.store=in-memory").run((context) -> {
			assertThat(context).doesNotHaveBean(RedisLockStore.class).hasSingleBean(InMemoryLockStore.class);
			assertThat(context).hasSingleBean(RedisConnectionFactory.class);
		});
	}

	@Test
	void keyPrefixIsConfigurable() {
		this.contextRunner.withPropertyValues("distributed-lock.redis.key-prefix=myapp:lock:")
			.run((context) -> assertThat(context.getBean(RedisLockStore.class).redisKey(LockKey.of("jobs", 7)))
				.isEqualTo("myapp:lock:{jobs:7}"));
	}

	@Test
	void whenTheApplicationDefinesALockRegistryShouldUseIt() {
		this.contextRunner.withBean("customLockRegistry", LockStore.class, InMemoryLockStore::new).run((context) -> {
			assertThat(context).doesNotHaveBean(RedisLockStore.class);
			assertThat(context).getBean(LockStore.class).isSameAs(context.getBean("customLockRegistry"));
		});
	}

	@Test
	void whenDisabledShouldNotCreateALockRegistry() {
		this.contextRunner.withPropertyValues("distributed-lock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LockStore.class)
				.hasSingleBean(RedisConnectionFactory.class));
	}

	@Test
	void whenSpringDataRedisIsAbsentShouldFallBackToMemory() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis."))
			.run((context) -> assertThat(context).doesNotHaveBean(RedisLockStore.class)
				.hasSingleBean(InMemoryLockStore.class));
	}

	@Test
	void whenRedisIsChosenButSpringDataRedisIsAbsentShouldFailToStart() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis."))
			.withPropertyValues("distributed-lock.store=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("RedisConnectionFactory"));
	}

	@Test
	void whenRedisIsChosenButNoConnectionFactoryExistsShouldFailToStart() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class))
			.withPropertyValues("distributed-lock.store=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("distributed-lock.store"));
	}

	@Test
	void whenTheApplicationUsesJedisShouldUseRedisThroughIt() {
		this.contextRunner.withPropertyValues("spring.data.redis.client-type=jedis").run((context) -> {
			assertThat(context).getBean(RedisConnectionFactory.class).isInstanceOf(JedisConnectionFactory.class);
			assertThat(context).hasSingleBean(RedisLockStore.class);
			assertLockWorks(context);
		});
	}

	@Test
	void whenTheApplicationUsesLettuceShouldUseRedisThroughIt() {
		this.contextRunner.run((context) -> assertThat(context).getBean(RedisConnectionFactory.class)
			.isInstanceOf(LettuceConnectionFactory.class));
	}

	private static void assertLockWorks(AssertableApplicationContext context) {
		LockTemplate template = context.getBean(LockTemplate.class);
		LockKey key = LockKey.of("autoconfigure-" + UUID.randomUUID(), 1);
		assertThat(template.execute(key, () -> {
			assertThat(
					LockStores.acquire(context.getBean(LockStore.class), key, "other", java.time.Duration.ofSeconds(5)))
				.as("held in Redis")
				.isEmpty();
			return "done";
		})).isEqualTo("done");
	}

	private static String[] redisProperties() {
		RedisStandaloneConfiguration server = RedisServerSupport.sharedServer();
		List<String> properties = new ArrayList<>();
		properties.add("spring.data.redis.host=" + server.getHostName());
		properties.add("spring.data.redis.port=" + server.getPort());
		properties.add("spring.data.redis.database=" + server.getDatabase());
		server.getPassword()
			.map(String::new)
			.ifPresent((password) -> properties.add("spring.data.redis.password=" + password));
		if (server.getUsername() != null) {
			properties.add("spring.data.redis.username=" + server.getUsername());
		}
		return properties.toArray(String[]::new);
	}

}
