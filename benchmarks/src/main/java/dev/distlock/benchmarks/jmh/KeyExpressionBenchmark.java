package dev.distlock.benchmarks.jmh;

import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.LockKey;
import dev.distlock.expression.LockKeyExpressions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import org.springframework.util.ReflectionUtils;

/**
 * What evaluating {@code @DistributedLock(keys = ...)} costs per call, with the
 * expressions parsed once as the advice does: a plain parameter reference, and
 * expressions that SpEL must evaluate.
 *
 * @author Distributed Lock team
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyExpressionBenchmark {

	private static final Method METHOD = ReflectionUtils.findMethod(Orders.class, "process", long.class, Order.class);

	private final Orders target = new Orders();

	private final Object[] args = { 42L, new Order("acme", "eu-west") };

	private final LockKeyExpressions parameter = LockKeyExpressions.parse("orders", new String[] { "#userId" },
			method());

	private final LockKeyExpressions properties = LockKeyExpressions.parse("orders",
			new String[] { "#order.tenant", "#order.region" }, method());

	private final LockKeyExpressions concatenation = LockKeyExpressions.parse("orders",
			new String[] { "#order.tenant + '/' + #userId" }, method());

	/**
	 * {@code keys = "#userId"}.
	 * @return the key
	 */
	@Benchmark
	public LockKey parameterReference() {
		return this.parameter.evaluate(this.target, Orders.class, this.args, null);
	}

	/**
	 * {@code keys = { "#order.tenant", "#order.region" }}.
	 * @return the key
	 */
	@Benchmark
	public LockKey propertyAccess() {
		return this.properties.evaluate(this.target, Orders.class, this.args, null);
	}

	/**
	 * {@code keys = "#order.tenant + '/' + #userId"}.
	 * @return the key
	 */
	@Benchmark
	public LockKey concatenation() {
		return this.concatenation.evaluate(this.target, Orders.class, this.args, null);
	}

	private static Method method() {
		if (METHOD == null) {
			throw new IllegalStateException("Orders.process not found");
		}
		return METHOD;
	}

	/**
	 * A service whose method the keys are written for.
	 */
	public static class Orders {

		/**
		 * The locked method's signature.
		 * @param userId a user
		 * @param order an order
		 */
		public void process(long userId, Order order) {
		}

	}

	/**
	 * An argument with properties.
	 */
	public static class Order {

		private final String tenant;

		private final String region;

		Order(String tenant, String region) {
			this.tenant = tenant;
			this.region = region;
		}

		/**
		 * Return the tenant.
		 * @return the tenant
		 */
		public String getTenant() {
			return this.tenant;
		}

		/**
		 * Return the region.
		 * @return the region
		 */
		public String getRegion() {
			return this.region;
		}

	}

}
