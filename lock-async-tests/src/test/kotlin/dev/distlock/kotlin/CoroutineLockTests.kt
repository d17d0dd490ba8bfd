package dev.distlock.kotlin

import dev.distlock.annotation.DistributedLock
import dev.distlock.autoconfigure.DistributedLockAutoConfiguration
import dev.distlock.core.Lease
import dev.distlock.core.LockContext
import dev.distlock.core.LockKey
import dev.distlock.core.LockNotAcquiredException
import dev.distlock.core.LockTemplate
import dev.distlock.reactive.ReactiveLockContext
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.reactor.awaitSingleOrNull
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatExceptionOfType
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.core.PropagationContextElement
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger

/**
 * Kotlin `suspend` functions and `Flow` locked with `@DistributedLock`: Spring Framework
 * adapts them to Reactor for advice, so the lock is held across suspension points and
 * thread hops, follows the coroutine (never a thread id), and is released when the
 * coroutine ends or is cancelled.
 */
class CoroutineLockTests {

	private val contextRunner = ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration::class.java))
		.withPropertyValues("distributed-lock.store=in-memory")
		.withBean(TokenService::class.java)

	@Test
	fun `a suspend function holds the lock across suspension points and a second call fails fast`() {
		contextRunner.run { context ->
			val service = context.getBean(TokenService::class.java)
			runBlocking {
				val first = async(Dispatchers.Default) { service.refresh(42, Duration.ofMillis(400)) }
				await().atMost(Duration.ofSeconds(5)).until { service.running.get() == 1 }
				assertThatExceptionOfType(LockNotAcquiredException::class.java).isThrownBy {
					runBlocking { service.refresh(42, Duration.ZERO) }
				}
				assertThat(service.refresh(7, Duration.ZERO)).isEqualTo("token-7")
				assertThat(first.await()).isEqualTo("token-42")
			}
			assertThat(context.getBean(LockTemplate::class.java).heldLocks()).isEmpty()
		}
	}

	@Test
	fun `waiting coroutines are served one at a time without blocking a thread`() {
		contextRunner.run { context ->
			val service = context.getBean(TokenService::class.java)
			runBlocking {
				(1..20).map { async(Dispatchers.Default) { service.refreshWaiting(1) } }.awaitAll()
			}
			assertThat(service.maxRunning.get()).isEqualTo(1)
			assertThat(service.calls.get()).isEqualTo(20)
		}
	}

	@Test
	fun `the lease is in the coroutine's Reactor context and, with context propagation, in LockContext`() {
		contextRunner.run { context ->
			val service = context.getBean(TokenService::class.java)
			runBlocking {
				val seen = withContext(Dispatchers.Default + PropagationContextElement()) { service.whoHolds(5) }
				assertThat(seen.reactive?.key()).isEqualTo(LockKey.of("token_refresh", 5L))
				assertThat(seen.threadLocal?.key()).isEqualTo(LockKey.of("token_refresh", 5L))
				assertThat(seen.reactive?.fencingToken()).isEqualTo(seen.threadLocal?.fencingToken())
			}
		}
	}

	@Test
	fun `cancelling a coroutine that holds the lock releases it`() {
		contextRunner.run { context ->
			val service = context.getBean(TokenService::class.java)
			val template = context.getBean(LockTemplate::class.java)
			runBlocking {
				val job = launch(Dispatchers.Default, start = CoroutineStart.DEFAULT) {
					service.refresh(9, Duration.ofMinutes(1))
				}
				await().atMost(Duration.ofSeconds(5)).until { template.heldLocks().size == 1 }
				job.cancel()
				job.join()
			}
			await().atMost(Duration.ofSeconds(5)).until { template.heldLocks().isEmpty() }
			runBlocking { assertThat(service.refresh(9, Duration.ZERO)).isEqualTo("token-9") }
		}
	}

	@Test
	fun `a locked Flow holds the lock while it is collected`() {
		contextRunner.run { context ->
			val service = context.getBean(TokenService::class.java)
			runBlocking {
				val collecting = async(Dispatchers.Default) { service.feed().toList() }
				await().atMost(Duration.ofSeconds(5)).until { service.feeding }
				assertThatExceptionOfType(LockNotAcquiredException::class.java).isThrownBy {
					runBlocking { service.feed().toList() }
				}
				assertThat(collecting.await()).containsExactly(1, 2)
				assertThat(service.feed().toList()).containsExactly(1, 2)
			}
		}
	}

	data class Holders(val reactive: Lease?, val threadLocal: Lease?)

	open class TokenService {

		open val running = AtomicInteger()

		open val maxRunning = AtomicInteger()

		open val calls = AtomicInteger()

		@Volatile
		open var feeding = false

		@DistributedLock(namespace = "token_refresh", keys = ["#userId"])
		open suspend fun refresh(userId: Long, hold: Duration): String {
			running.incrementAndGet()
			try {
				delay(hold.toMillis())
				return "token-$userId"
			}
			finally {
				running.decrementAndGet()
			}
		}

		@DistributedLock(namespace = "token_refresh_waiting", keys = ["#userId"], waitTime = "30s")
		open suspend fun refreshWaiting(userId: Long): String {
			maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max)
			delay(5)
			withContext(Dispatchers.IO) { Thread.yield() }
			running.decrementAndGet()
			calls.incrementAndGet()
			return "token-$userId"
		}

		@DistributedLock(namespace = "token_refresh", keys = ["#userId"])
		open suspend fun whoHolds(userId: Long): Holders {
			delay(10)
			return Holders(ReactiveLockContext.currentLease().awaitSingleOrNull(), LockContext.currentLease().orElse(null))
		}

		@DistributedLock(namespace = "feed")
		open fun feed(): Flow<Int> = flow {
			feeding = true
			emit(1)
			delay(300)
			emit(2)
			feeding = false
		}

	}

}
