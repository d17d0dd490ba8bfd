package dev.distlock.benchmarks.jmh;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/**
 * What {@code @DistributedLock} adds to a call: a no-op method on a bean proxied by the
 * auto-configured advice, on the in-memory store, against the same method unannotated on
 * a plain instance. The difference is the whole advice: proxy, operation lookup, key,
 * template and the in-memory store's acquire and release.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AdviceBenchmark {

	private final LockedService plainInstance = new LockedService();

	private long userId = 42;

	private AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

	private LockedService proxied = this.plainInstance;

	/**
	 * Start a context with the auto-configuration and the service.
	 */
	@Setup
	public void setUp() {
		this.context = new AnnotationConfigApplicationContext();
		this.context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("bench", Map.of("distributed-lock.store", "in-memory")));
		this.context.register(ServiceConfiguration.class, DistributedLockAutoConfiguration.class);
		this.context.refresh();
		this.proxied = this.context.getBean(LockedService.class);
		if (this.proxied.getClass() == LockedService.class) {
			throw new IllegalStateException("The advice did not proxy the service");
		}
	}

	/**
	 * Close the context.
	 */
	@TearDown
	public void tearDown() {
		this.context.close();
	}

	/**
	 * The method without the library: a plain call.
	 * @return the result
	 */
	@Benchmark
	public long plainMethod() {
		return this.plainInstance.plain();
	}

	/**
	 * An unannotated method of the proxied bean: what the proxy alone costs.
	 * @return the result
	 */
	@Benchmark
	public long unannotatedMethodOnProxy() {
		return this.proxied.plain();
	}

	/**
	 * The annotated method with a fixed key.
	 * @return the result
	 */
	@Benchmark
	public long annotatedMethod() {
		return this.proxied.locked();
	}

	/**
	 * The annotated method keyed by its argument ({@code keys = "#userId"}).
	 * @return the result
	 */
	@Benchmark
	public long annotatedMethodKeyedByArgument() {
		return this.proxied.lockedByArgument(this.userId);
	}

	/**
	 * The application's configuration: one service bean.
	 */
	@Configuration(proxyBeanMethods = false)
	public static class ServiceConfiguration {

		/**
		 * The service to proxy.
		 * @return the service
		 */
		@Bean
		public LockedService lockedService() {
			return new LockedService();
		}

	}

}
