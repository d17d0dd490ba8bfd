package dev.distlock.aop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import dev.distlock.annotation.DistributedLock;
import dev.distlock.annotation.OnFailure;
import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a misconfigured {@code @DistributedLock} stops startup with a message that
 * names the method.
 *
 * @author Distributed Lock team
 */
class DistributedLockStartupValidationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class))
		.withPropertyValues("distributed-lock.store=in-memory");

	private void assertStartupFails(Class<?> beanClass, String... messages) {
		this.contextRunner.withBean(beanClass).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().satisfies((ex) -> {
				assertThat(ex.getMessage()).contains(beanClass.getName());
				for (String message : messages) {
					assertThat(ex.getMessage()).contains(message);
				}
			});
		});
	}

	@Test
	void brokenExpression() {
		assertStartupFails(BrokenExpression.class, "BrokenExpression.call(long)", "'#id +'",
				"not a valid SpEL expression");
	}

	@Test
	void unknownParameter() {
		assertStartupFails(UnknownParameter.class, "UnknownParameter.call(long)", "references #userId",
				"Available: #p0, #a0, #id");
	}

	@Test
	void wrongDuration() {
		assertStartupFails(WrongDuration.class, "WrongDuration.call()", "waitTime 'five seconds'", "is not a duration");
	}

	@Test
	void negativeDuration() {
		assertStartupFails(NegativeDuration.class, "NegativeDuration.call()", "leaseTime '-1s' must be positive");
	}

	@Test
	void unresolvablePlaceholder() {
		assertStartupFails(UnresolvablePlaceholder.class, "UnresolvablePlaceholder.call()",
				"'${lock.missing}' has an unresolvable placeholder");
	}

	@Test
	void skipOnAPrimitiveReturnType() {
		assertStartupFails(SkipOnPrimitive.class, "SkipOnPrimitive.count()", "onFailure SKIP", "returns int");
	}

	@Test
	void futureReturnTypeThatCannotSayWhenItCompletes() {
		assertStartupFails(FutureReturn.class, "FutureReturn.call()", "java.util.concurrent.Future",
				"return a CompletableFuture");
	}

	@Test
	void subtypeOfCompletableFuture() {
		assertStartupFails(FutureSubtypeReturn.class, "FutureSubtypeReturn.call()", "not their subtypes");
	}

	@Test
	void methodsAProxyCannotIntercept() {
		assertStartupFails(UninterceptableMethods.class, "UninterceptableMethods.hidden() is private",
				"UninterceptableMethods.fixed() is final", "UninterceptableMethods.shared() is static");
	}

	@Test
	void finalClass() {
		assertStartupFails(FinalService.class, "FinalService is final", "kotlin-spring");
	}

	@Test
	void validAnnotationsStartAndAreCachedPerMethod() {
		this.contextRunner.withBean(Valid.class).run((context) -> {
			assertThat(context).hasNotFailed();
			LockOperationSource source = context.getBean(LockOperationSource.class);
			var method = Valid.class.getDeclaredMethod("call", long.class);
			LockOperation operation = source.getOperation(method, Valid.class);
			assertThat(operation).isNotNull();
			assertThat(source.getOperation(method, Valid.class)).isSameAs(operation);
			assertThat(operation.namespace()).isEqualTo("valid");
			assertThat(source.getOperation(Valid.class.getDeclaredMethod("plain"), Valid.class)).isNull();
		});
	}

	static class BrokenExpression {

		@DistributedLock(keys = "#id +")
		void call(long id) {
		}

	}

	static class UnknownParameter {

		@DistributedLock(keys = "#userId")
		void call(long id) {
		}

	}

	static class WrongDuration {

		@DistributedLock(waitTime = "five seconds")
		void call() {
		}

	}

	static class NegativeDuration {

		@DistributedLock(leaseTime = "-1s")
		void call() {
		}

	}

	static class UnresolvablePlaceholder {

		@DistributedLock(waitTime = "${lock.missing}")
		void call() {
		}

	}

	static class SkipOnPrimitive {

		@DistributedLock(onFailure = OnFailure.SKIP)
		int count() {
			return 1;
		}

	}

	static class FutureReturn {

		@DistributedLock
		Future<String> call() {
			return CompletableFuture.completedFuture("x");
		}

	}

	static class FutureSubtypeReturn {

		@DistributedLock
		SpecialFuture call() {
			return new SpecialFuture();
		}

	}

	static class SpecialFuture extends CompletableFuture<String> {

	}

	static class UninterceptableMethods {

		@DistributedLock
		private void hidden() {
		}

		@DistributedLock
		final void fixed() {
			hidden();
		}

		@DistributedLock
		static void shared() {
		}

	}

	static final class FinalService {

		@DistributedLock
		void call() {
		}

	}

	static class Valid {

		@DistributedLock(namespace = "valid", keys = "#id", waitTime = "500ms", leaseTime = "PT10S",
				lockAtLeastFor = "0")
		void call(long id) {
		}

		void plain() {
		}

	}

}
