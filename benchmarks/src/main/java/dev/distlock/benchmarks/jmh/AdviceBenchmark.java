package dev.distlock.benchmarks.jmh;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.autoconfigure.metrics.DistributedLockMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/**
 * What {@code @DistributedLock} adds to a call: a no-op method on a bean proxied by the
 * auto-configured advice, on the in-memory store, against the same method unannotated on
 * a plain instance. The difference is the whole advice: proxy, operation lookup, key,
 * template and the in-memory store's acquire and release. The same for a method that
 * returns a {@code CompletableFuture} (already complete), through the advice's
 * asynchronous path: the caller is never blocked, and the lock is released when the
 * method's future completes.
 *
 * @author Distributed Lock team
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AdviceBenchmark {

	private final LockedService plainInstance = new LockedService();

	private long userId = 42;

	private AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

	private LockedService proxied = this.plainInstance;

	private AnnotationConfigApplicationContext meteredContext = new AnnotationConfigApplicationContext();

	private LockedService metered = this.plainInstance;

	/**
	 * Start a context with the auto-configuration and the service.
	 */
	@Setup
	public void setUp() {
		this.context = start(ServiceConfiguration.class, DistributedLockAutoConfiguration.class);
		this.proxied = proxiedService(this.context);
		if (!this.proxied.lockedFuture().isDone()) {
			throw new IllegalStateException("The advice did not complete an already complete future at once");
		}
		this.meteredContext = start(ServiceConfiguration.class, MeterRegistryConfiguration.class,
				DistributedLockAutoConfiguration.class, DistributedLockMetricsAutoConfiguration.class);
		this.metered = proxiedService(this.meteredContext);
		this.metered.locked();
		if (this.meteredContext.getBean(MeterRegistry.class).find("distributed.lock.acquire").timer() == null) {
			throw new IllegalStateException("The lock meters are not recorded");
		}
	}

	private static AnnotationConfigApplicationContext start(Class<?>... configurations) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("bench", Map.of("distributed-lock.store", "in-memory")));
		context.register(configurations);
		context.refresh();
		return context;
	}

	private static LockedService proxiedService(AnnotationConfigApplicationContext context) {
		LockedService service = context.getBean(LockedService.class);
		if (service.getClass() == LockedService.class) {
			throw new IllegalStateException("The advice did not proxy the service");
		}
		return service;
	}

	/**
	 * Close the context.
	 */
	@TearDown
	public void tearDown() {
		this.context.close();
		this.meteredContext.close();
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
	 * The unannotated asynchronous method on a plain instance.
	 * @return the result
	 */
	@Benchmark
	public long plainFutureMethod() {
		return this.plainInstance.plainFuture().join();
	}

	/**
	 * The annotated asynchronous method: the advice returns a future that completes once
	 * the lock is released after the method's future completed. It is complete when
	 * {@code join()} is called here, since the in-memory store answers at once.
	 * @return the result
	 */
	@Benchmark
	public long annotatedFutureMethod() {
		return this.proxied.lockedFuture().join();
	}

	/**
	 * The annotated method with the lock meters recorded in a
	 * {@link SimpleMeterRegistry}, as in an application with the actuator.
	 * @return the result
	 */
	@Benchmark
	public long annotatedMethodWithMetrics() {
		return this.metered.locked();
	}

	/**
	 * A meter registry, as the actuator provides.
	 */
	@Configuration(proxyBeanMethods = false)
	public static class MeterRegistryConfiguration {

		/**
		 * The registry.
		 * @return the registry
		 */
		@Bean
		public MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

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
