package dev.distlock.core;

import java.time.Duration;
import java.util.UUID;

import dev.distlock.memory.InMemoryLockStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that locks log what docs/observability.md promises under {@code dev.distlock}:
 * DEBUG for acquire, wait, release and renew; WARN for lost leases and failed releases.
 *
 * @author Distributed Lock team
 */
@ExtendWith(OutputCaptureExtension.class)
class LockLoggingTests {

	private final LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());

	private final InMemoryLockStore store = new InMemoryLockStore();

	private final FaultyLockStore registry = new FaultyLockStore(this.store);

	private final LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

	private final LockTemplate template = new LockTemplate(this.registry, LockSettings.defaults(), this.scheduler,
			LockListener.NONE);

	private final String namespace = "logging-" + UUID.randomUUID();

	@BeforeEach
	void logAtDebug() {
		this.loggingSystem.setLogLevel("dev.distlock", LogLevel.DEBUG);
	}

	@AfterEach
	void restoreLogLevel() {
		this.loggingSystem.setLogLevel("dev.distlock", null);
		this.scheduler.close();
	}

	@Test
	void acquireWaitRenewAndReleaseAreLoggedAtDebug(CapturedOutput output) {
		LockKey key = LockKey.of(this.namespace, 1);
		LockOptions options = LockOptions.builder()
			.waitTime(Duration.ofMillis(50))
			.leaseTime(Duration.ofMillis(300))
			.autoRenew(true)
			.build();
		try (Lease lease = this.template.acquire(key, options)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> output.toString().contains("Renewed lock '" + key));
			assertThat(lease.isValid()).isTrue();
		}
		assertThat(output).contains("DEBUG")
			.contains("Acquiring lock '" + key + "', waiting up to 50 ms if it is held")
			.contains("Acquired lock '" + key + "' with fencing token")
			.contains("Released lock '" + key + "'");
	}

	@Test
	void waitThatEndsWithoutTheLockIsLoggedAtDebug(CapturedOutput output) throws Exception {
		LockKey key = LockKey.of(this.namespace, 1);
		assertThat(LockStores.acquire(this.store, key, "another-owner", Duration.ofSeconds(30))).isPresent();
		assertThat(this.template.tryAcquire(key, LockOptions.builder().waitTime(Duration.ofMillis(50)).build()))
			.isEmpty();
		assertThat(output).contains("Lock '" + key + "' not acquired: held by another owner (waited");
	}

	@Test
	void lostLeaseAndFailedReleaseAreLoggedAtWarn(CapturedOutput output) throws Exception {
		LockKey key = LockKey.of(this.namespace, 1);
		LockOptions renewing = LockOptions.builder().leaseTime(Duration.ofMillis(300)).autoRenew(true).build();
		Lease lease = this.template.acquire(key, renewing);
		this.template.forceRelease(key);
		assertThat(LockStores.acquire(this.store, key, "another-owner", Duration.ofSeconds(30))).isPresent();
		await().atMost(Duration.ofSeconds(10)).until(() -> !lease.isValid());
		lease.close();
		// The lease turns invalid first; the timer thread logs the loss right after.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output).contains("WARN").contains("Lost lock '" + key + "'"));
		LockKey other = LockKey.of(this.namespace, 2);
		Lease failing = this.template.acquire(other, LockOptions.builder().autoRenew(false).build());
		this.registry.failRelease();
		failing.close();
		assertThat(output).contains("Failed to release lock '" + other + "'");
	}

}
