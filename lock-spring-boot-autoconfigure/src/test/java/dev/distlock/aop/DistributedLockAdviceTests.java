package dev.distlock.aop;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.distlock.annotation.AutoRenew;
import dev.distlock.annotation.DistributedLock;
import dev.distlock.annotation.OnFailure;
import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.core.InvalidLockKeyException;
import dev.distlock.core.Lease;
import dev.distlock.core.LockContext;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockLostEvent;
import dev.distlock.core.LockLostException;
import dev.distlock.core.LockNotAcquiredException;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the {@code @DistributedLock} advice, on the in-memory store.
 *
 * @author Distributed Lock team
 */
class DistributedLockAdviceTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class))
		.withPropertyValues("distributed-lock.store=in-memory")
		.withUserConfiguration(ServicesConfiguration.class);

	@Test
	void concurrentCallForTheSameKeyFailsFastAndOtherKeysProceed() {
		this.contextRunner.run((context) -> {
			TokenService service = context.getBean(TokenService.class);
			CountDownLatch inside = new CountDownLatch(1);
			CountDownLatch finish = new CountDownLatch(1);
			CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> service.refresh(42, inside, finish));
			assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
			assertThatExceptionOfType(LockNotAcquiredException.class)
				.isThrownBy(() -> service.refresh(42, new CountDownLatch(1), new CountDownLatch(0)))
				.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo(LockKey.of("token_refresh", 42L)));
			assertThat(service.refresh(7, new CountDownLatch(1), new CountDownLatch(0))).isEqualTo("token-7");
			finish.countDown();
			assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("token-42");
			assertThat(service.refresh(42, new CountDownLatch(1), new CountDownLatch(0))).isEqualTo("token-42");
		});
	}

	@Test
	void skipReturnsNullOrAnEmptyOptionalWithoutRunningTheMethod() {
		this.contextRunner.run((context) -> {
			ReportService reports = context.getBean(ReportService.class);
			LockTemplate template = context.getBean(LockTemplate.class);
			try (Lease held = holdOnAnotherThread(template, LockKey.of("report", "q1"))) {
				assertThat(held.isValid()).isTrue();
				assertThat(reports.compute("q1")).isNull();
				assertThat(reports.computeOptional("q1")).isEqualTo(Optional.empty());
				assertThat(reports.runs()).isEqualTo(0);
			}
			assertThat(reports.compute("q1")).isEqualTo("report q1");
			assertThat(reports.runs()).isEqualTo(1);
		});
	}

	@Test
	void methodExceptionPropagatesUnchangedAndTheLockIsReleased() {
		this.contextRunner.run((context) -> {
			FailingService service = context.getBean(FailingService.class);
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> service.fail("checked"))
				.isSameAs(FailingService.CHECKED);
			assertThat(context.getBean(LockTemplate.class).heldLocks()).isEmpty();
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> service.fail("unchecked"))
				.withMessage("unchecked");
			assertThat(context.getBean(LockTemplate.class).heldLocks()).isEmpty();
		});
	}

	@Test
	void nullKeyFailsNamingTheExpressionAndTheMethodDoesNotRun() {
		this.contextRunner.run((context) -> {
			ReportService reports = context.getBean(ReportService.class);
			assertThatExceptionOfType(InvalidLockKeyException.class).isThrownBy(() -> reports.compute(null))
				.withMessageContaining("'#quarter'")
				.withMessageContaining("ReportService.compute(String)");
			assertThat(reports.runs()).isEqualTo(0);
		});
	}

	@Test
	void namespaceDefaultsToSimpleClassNameAndMethodName() {
		this.contextRunner.run((context) -> {
			DefaultsService service = context.getBean(DefaultsService.class);
			assertThat(service.currentKey()).isEqualTo("DefaultsService.currentKey");
			assertThat(service.inherited()).as("class-level annotation, named after the bean's class")
				.isEqualTo("DefaultsService.inherited");
		});
	}

	@Test
	void sameThreadReentersTheSameKey() {
		this.contextRunner.run((context) -> {
			OuterService outer = context.getBean(OuterService.class);
			assertThat(outer.outer(5)).isEqualTo("inner 5");
		});
	}

	@Test
	void reentryIsRefusedWhenDisabled() {
		this.contextRunner.withPropertyValues("distributed-lock.reentrant=false").run((context) -> {
			OuterService outer = context.getBean(OuterService.class);
			assertThatExceptionOfType(LockNotAcquiredException.class).isThrownBy(() -> outer.outer(5))
				.withMessageContaining("already held by this invocation")
				.withMessageContaining("distributed-lock.reentrant=false");
			assertThat(context.getBean(LockTemplate.class).heldLocks()).isEmpty();
		});
	}

	@Test
	void waitTimeFromAPlaceholderWaitsForTheHolder() {
		this.contextRunner.withPropertyValues("test.wait=3s").run((context) -> {
			ReportService reports = context.getBean(ReportService.class);
			LockTemplate template = context.getBean(LockTemplate.class);
			Lease held = holdOnAnotherThread(template, LockKey.of("waiting", 1));
			CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(held::close);
			long start = System.nanoTime();
			assertThat(reports.waiting(1)).isEqualTo("waited 1");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
		});
	}

	@Test
	void namespaceOnFailureOverrideSkips() {
		this.contextRunner.withPropertyValues("distributed-lock.namespaces.token_refresh.on-failure=skip")
			.run((context) -> {
				TokenService service = context.getBean(TokenService.class);
				try (Lease held = holdOnAnotherThread(context.getBean(LockTemplate.class),
						LockKey.of("token_refresh", 9L))) {
					assertThat(held.fencingToken()).isPositive();
					assertThat(service.refresh(9, new CountDownLatch(1), new CountDownLatch(0))).isNull();
				}
			});
	}

	@Test
	void lockAtLeastForKeepsOtherCallersOutAfterTheMethodReturned() {
		this.contextRunner.run((context) -> {
			ReportService reports = context.getBean(ReportService.class);
			assertThat(reports.throttled("q3")).isEqualTo("computed q3");
			assertThat(reports.throttled("q3")).as("skipped: the lock is kept for a while").isNull();
			assertThat(reports.runs()).isEqualTo(1);
		});
	}

	@Test
	void lostLeaseIsLoggedAndPublishedByDefault() {
		this.contextRunner.run((context) -> {
			SlowService slow = context.getBean(SlowService.class);
			assertThat(slow.outlive()).isEqualTo("done");
			assertThat(context.getBean(LostEvents.class).events).singleElement()
				.satisfies((event) -> assertThat(event.getKey()).isEqualTo(LockKey.of("slow")));
		});
	}

	@Test
	void lostLeaseThrowsWhenConfigured() {
		this.contextRunner.withPropertyValues("distributed-lock.on-lease-lost=throw").run((context) -> {
			SlowService slow = context.getBean(SlowService.class);
			assertThatExceptionOfType(LockLostException.class).isThrownBy(slow::outlive)
				.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo(LockKey.of("slow")));
		});
	}

	@Test
	void methodsWithoutTheAnnotationAreNotLocked() {
		this.contextRunner.run((context) -> assertThat(context.getBean(DefaultsService.class).unlocked()).isFalse());
	}

	/**
	 * Acquire on another thread: the test thread would otherwise re-enter its own lock.
	 */
	private static Lease holdOnAnotherThread(LockTemplate template, LockKey key) throws Exception {
		return CompletableFuture.supplyAsync(() -> template.acquire(key, LockOptions.defaults()))
			.get(5, TimeUnit.SECONDS);
	}

	@Configuration(proxyBeanMethods = false)
	static class ServicesConfiguration {

		@Bean
		TokenService tokenService() {
			return new TokenService();
		}

		@Bean
		ReportService reportService() {
			return new ReportService();
		}

		@Bean
		FailingService failingService() {
			return new FailingService();
		}

		@Bean
		DefaultsService defaultsService() {
			return new DefaultsService();
		}

		@Bean
		InnerService innerService() {
			return new InnerService();
		}

		@Bean
		OuterService outerService(InnerService inner) {
			return new OuterService(inner);
		}

		@Bean
		SlowService slowService() {
			return new SlowService();
		}

		@Bean
		LostEvents lostEvents() {
			return new LostEvents();
		}

	}

	static class TokenService {

		@DistributedLock(namespace = "token_refresh", keys = "#userId")
		String refresh(long userId, CountDownLatch inside, CountDownLatch finish) {
			inside.countDown();
			try {
				finish.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return "token-" + userId;
		}

	}

	static class ReportService {

		private final AtomicInteger runs = new AtomicInteger();

		int runs() {
			return this.runs.get();
		}

		@DistributedLock(namespace = "report", keys = "#quarter", onFailure = OnFailure.SKIP)
		String compute(String quarter) {
			this.runs.incrementAndGet();
			return "report " + quarter;
		}

		@DistributedLock(namespace = "report", keys = "#p0", onFailure = OnFailure.SKIP)
		Optional<String> computeOptional(String quarter) {
			this.runs.incrementAndGet();
			return Optional.of("report " + quarter);
		}

		@DistributedLock(namespace = "waiting", keys = "#id", waitTime = "${test.wait:0}")
		String waiting(int id) {
			return "waited " + id;
		}

		@DistributedLock(namespace = "throttled", keys = "#quarter", lockAtLeastFor = "10s", onFailure = OnFailure.SKIP)
		String throttled(String quarter) {
			this.runs.incrementAndGet();
			return "computed " + quarter;
		}

	}

	static class FailingService {

		static final Exception CHECKED = new Exception("checked");

		@DistributedLock("failing")
		void fail(String kind) throws Exception {
			if (kind.equals("checked")) {
				throw CHECKED;
			}
			throw new IllegalStateException(kind);
		}

	}

	static class DefaultsService extends ClassLevelService {

		@DistributedLock
		String currentKey() {
			return LockContext.currentLease().orElseThrow().key().asString();
		}

		boolean unlocked() {
			return LockContext.currentLease().isPresent();
		}

	}

	@DistributedLock
	public static class ClassLevelService {

		public String inherited() {
			return LockContext.currentLease().orElseThrow().key().asString();
		}

	}

	static class InnerService {

		@DistributedLock(namespace = "nested", keys = "#id")
		String inner(int id) {
			return "inner " + id;
		}

	}

	static class OuterService {

		private final InnerService inner;

		OuterService(InnerService inner) {
			this.inner = inner;
		}

		@DistributedLock(namespace = "nested", keys = "#id")
		String outer(int id) {
			return this.inner.inner(id);
		}

	}

	static class SlowService {

		@DistributedLock(namespace = "slow", leaseTime = "150ms", autoRenew = AutoRenew.OFF)
		String outlive() throws InterruptedException {
			Thread.sleep(400);
			return "done";
		}

	}

	static class LostEvents implements ApplicationListener<LockLostEvent> {

		final List<LockLostEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(LockLostEvent event) {
			this.events.add(event);
		}

	}

}
