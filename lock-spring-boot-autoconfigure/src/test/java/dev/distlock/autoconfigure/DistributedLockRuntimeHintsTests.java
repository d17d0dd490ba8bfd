package dev.distlock.autoconfigure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.distlock.annotation.DistributedLock;
import dev.distlock.expression.LockExpressionRootObject;
import dev.distlock.expression.LockKeyExpressionsRuntimeHints;
import dev.distlock.jdbc.JdbcLockStoreRuntimeHints;
import dev.distlock.jdbc.TestDatabases;
import dev.distlock.redis.RedisLockStoreRuntimeHints;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the runtime hints a native image needs: every resource the library loads by
 * name, and everything it reflects on.
 *
 * @author Distributed Lock team
 */
class DistributedLockRuntimeHintsTests {

	@Test
	void everyResourceOfTheLibraryIsCovered() throws IOException {
		RuntimeHints hints = new RuntimeHints();
		new RedisLockStoreRuntimeHints().registerHints(hints, getClass().getClassLoader());
		new JdbcLockStoreRuntimeHints().registerHints(hints, getClass().getClassLoader());
		List<String> resources = libraryResources();
		assertThat(resources).contains("dev/distlock/redis/acquire.lua", "dev/distlock/jdbc/schema-postgresql.sql",
				"dev/distlock/jdbc/mysql/acquire.sql");
		assertThat(resources)
			.allSatisfy((resource) -> assertThat(RuntimeHintsPredicates.resource().forResource(resource)).as(resource)
				.accepts(hints));
	}

	@Test
	void thePgjdbcFieldsTheListenerSetsAreReflective() throws ClassNotFoundException {
		RuntimeHints hints = new RuntimeHints();
		new JdbcLockStoreRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(
				RuntimeHintsPredicates.reflection().onFieldAccess("org.postgresql.core.QueryExecutorBase", "pgStream"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onFieldAccess("org.postgresql.core.PGStream", "nextStreamAvailableCheckTime")).accepts(hints);
	}

	@Test
	void theRootObjectOfKeyExpressionsIsReflective() {
		RuntimeHints hints = new RuntimeHints();
		new LockKeyExpressionsRuntimeHints().registerHints(hints, getClass().getClassLoader());
		for (String method : new String[] { "getMethod", "getMethodName", "getArgs", "getTarget", "getTargetClass" }) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(LockExpressionRootObject.class, method))
				.as(method)
				.accepts(hints);
		}
	}

	@Test
	void lockedMethodsAndThePropertiesOfTheirParametersAreReflective() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, TokenService.class, ReportService.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(TokenService.class, "refresh"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(TokenRequest.class, "tenantId"))
			.as("read by the key expression #request.tenantId")
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(TokenService.class, "unlocked"))
			.rejects(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ReportService.class, "generate"))
			.as("a public method of a locked type")
			.accepts(hints);
	}

	@Test
	void aheadOfTimeProcessingRegistersTheHintsOfTheChosenStoreOnly() {
		RuntimeHints hints = processAheadOfTime(JdbcApplication.class);
		assertThat(RuntimeHintsPredicates.resource().forResource("dev/distlock/jdbc/postgresql/acquire.sql"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("dev/distlock/jdbc/schema-h2.sql")).accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("dev/distlock/redis/acquire.lua"))
			.as("the store is chosen at build time")
			.rejects(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(LockExpressionRootObject.class, "getArgs"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(TokenService.class, "refresh"))
			.accepts(hints);
	}

	private static RuntimeHints processAheadOfTime(Class<?> application) {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.register(application);
			DefaultGenerationContext generationContext = new DefaultGenerationContext(
					new ClassNameGenerator(ClassName.get(application)), new InMemoryGeneratedFiles());
			new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
			return generationContext.getRuntimeHints();
		}
	}

	private static List<String> libraryResources() throws IOException {
		List<String> names = new ArrayList<>();
		for (Resource resource : new PathMatchingResourcePatternResolver()
			.getResources("classpath*:dev/distlock/**/*.*")) {
			String url = resource.getURL().toString();
			int start = url.indexOf("/target/classes/");
			if (start >= 0 && !url.endsWith(".class")) {
				names.add(url.substring(start + "/target/classes/".length()));
			}
		}
		return names;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DistributedLockAutoConfiguration.class)
	static class JdbcApplication {

		@Bean
		DataSource dataSource() {
			JdbcDataSource dataSource = new JdbcDataSource();
			dataSource.setURL(TestDatabases.h2Url());
			return dataSource;
		}

		@Bean
		TokenService tokenService() {
			return new TokenService();
		}

	}

	public static class TokenService {

		@DistributedLock(namespace = "token_refresh", keys = "#request.tenantId")
		public String refresh(TokenRequest request) {
			return "token";
		}

		public String unlocked() {
			return "free";
		}

	}

	@DistributedLock
	public static class ReportService {

		public String generate() {
			return "report";
		}

	}

	public record TokenRequest(String tenantId) {

	}

}
