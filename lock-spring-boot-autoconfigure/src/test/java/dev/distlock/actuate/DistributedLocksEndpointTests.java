package dev.distlock.actuate;

import java.lang.reflect.RecordComponent;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.distlock.actuate.DistributedLocksEndpoint.DistributedLocksDescriptor;
import dev.distlock.actuate.DistributedLocksEndpoint.ForceReleaseDescriptor;
import dev.distlock.actuate.DistributedLocksEndpoint.LockDescriptor;
import dev.distlock.core.Lease;
import dev.distlock.core.LeaseRenewalScheduler;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockListener;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockSettings;
import dev.distlock.core.LockStores;
import dev.distlock.core.LockTemplate;
import dev.distlock.memory.InMemoryLockStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link DistributedLocksEndpoint}.
 *
 * @author Distributed Lock team
 */
@ExtendWith(OutputCaptureExtension.class)
class DistributedLocksEndpointTests {

	private static final LockOptions NO_RENEWAL = LockOptions.builder().autoRenew(false).build();

	private final InMemoryLockStore store = new InMemoryLockStore();

	private final LeaseRenewalScheduler scheduler = new LeaseRenewalScheduler();

	private final LockTemplate template = new LockTemplate(this.store, LockSettings.defaults(), this.scheduler,
			LockListener.NONE);

	private final DistributedLocksEndpoint endpoint = new DistributedLocksEndpoint(this.template, Show.ALWAYS,
			Set.of());

	private final String namespace = "endpoint-" + UUID.randomUUID();

	@AfterEach
	void closeScheduler() {
		this.scheduler.close();
	}

	@Test
	void readListsTheLocksThisInstanceHolds() {
		assertThat(this.endpoint.locks(SecurityContext.NONE).locks()).isEmpty();
		Instant before = Instant.now();
		try (Lease lease = this.template.acquire(LockKey.of(this.namespace, "a:b", 42), NO_RENEWAL)) {
			DistributedLocksDescriptor descriptor = this.endpoint.locks(SecurityContext.NONE);
			assertThat(descriptor.store()).isEqualTo("in-memory");
			assertThat(descriptor.locks()).singleElement().satisfies((lock) -> {
				assertThat(lock.namespace()).isEqualTo(this.namespace);
				assertThat(lock.key()).isEqualTo(this.namespace + ":a\\:b:42");
				assertThat(LockKey.parse(lock.key())).isEqualTo(lease.key());
				assertThat(lock.fencingToken()).isEqualTo(lease.fencingToken());
				assertThat(lock.acquiredAt()).isBetween(before, Instant.now());
				assertThat(lock.expiresAt()).isCloseTo(lease.expiresAt(), within(100, ChronoUnit.MILLIS));
				assertThat(lock.holderThread()).isEqualTo(Thread.currentThread().getName());
			});
		}
		assertThat(this.endpoint.locks(SecurityContext.NONE).locks()).isEmpty();
	}

	@Test
	void readListsLocksOldestFirst() throws Exception {
		try (Lease first = this.template.acquire(LockKey.of(this.namespace, 1), NO_RENEWAL)) {
			Thread.sleep(5);
			try (Lease second = this.template.acquire(LockKey.of(this.namespace, 2), NO_RENEWAL)) {
				assertThat(this.endpoint.locks(SecurityContext.NONE).locks()).extracting(LockDescriptor::fencingToken)
					.containsExactly(first.fencingToken(), second.fencingToken());
			}
		}
	}

	@Test
	void keysAreMaskedByDefault() {
		DistributedLocksEndpoint endpoint = new DistributedLocksEndpoint(this.template);
		try (Lease lease = this.template.acquire(LockKey.of(this.namespace, "user-42", 7), NO_RENEWAL)) {
			assertThat(endpoint.locks(securityContext("alice", "ADMIN")).locks()).singleElement().satisfies((lock) -> {
				assertThat(lock.namespace()).isEqualTo(this.namespace);
				assertThat(lock.key()).isEqualTo(this.namespace + ":******");
				assertThat(lock.fencingToken()).isEqualTo(lease.fencingToken());
			});
		}
	}

	@Test
	void keysAreNeverShownWithNever() {
		assertThat(keySeenBy(Show.NEVER, Set.of(), securityContext("alice", "ADMIN")))
			.isEqualTo(this.namespace + ":******");
	}

	@Test
	void keysAreAlwaysShownWithAlways() {
		assertThat(keySeenBy(Show.ALWAYS, Set.of("ADMIN"), SecurityContext.NONE))
			.isEqualTo(this.namespace + ":user-42:7");
	}

	@Test
	void keysAreShownToAuthenticatedCallersWithWhenAuthorized() {
		assertThat(keySeenBy(Show.WHEN_AUTHORIZED, Set.of(), SecurityContext.NONE))
			.isEqualTo(this.namespace + ":******");
		assertThat(keySeenBy(Show.WHEN_AUTHORIZED, Set.of(), securityContext("alice")))
			.isEqualTo(this.namespace + ":user-42:7");
	}

	@Test
	void keysAreShownToCallersInARoleWithWhenAuthorizedAndRoles() {
		assertThat(keySeenBy(Show.WHEN_AUTHORIZED, Set.of("OPS"), securityContext("alice", "ADMIN")))
			.isEqualTo(this.namespace + ":******");
		assertThat(keySeenBy(Show.WHEN_AUTHORIZED, Set.of("OPS"), securityContext("bob", "OPS")))
			.isEqualTo(this.namespace + ":user-42:7");
	}

	@Test
	void keyWithoutPartsShowsItsNamespaceMaskedOrNot() {
		DistributedLocksEndpoint endpoint = new DistributedLocksEndpoint(this.template);
		try (Lease lease = this.template.acquire(LockKey.of("Report.nightly"), NO_RENEWAL)) {
			assertThat(lease.isValid()).isTrue();
			assertThat(endpoint.locks(SecurityContext.NONE).locks()).singleElement()
				.satisfies((lock) -> assertThat(lock.key()).isEqualTo("Report.nightly"));
		}
	}

	@Test
	void maskedKeyEscapesTheNamespaceAsTheReadableFormDoes() {
		assertThat(DistributedLocksEndpoint.mask(LockKey.of("a:b", "secret").asString())).isEqualTo("a\\:b:******");
	}

	@Test
	void lockDescriptorsCarryNoOwnerToken() {
		assertThat(LockDescriptor.class.getRecordComponents()).extracting(RecordComponent::getName)
			.containsExactly("namespace", "key", "fencingToken", "acquiredAt", "expiresAt", "holderThread");
	}

	private String keySeenBy(Show show, Set<String> roles, SecurityContext securityContext) {
		DistributedLocksEndpoint endpoint = new DistributedLocksEndpoint(this.template, show, roles);
		try (Lease lease = this.template.acquire(LockKey.of(this.namespace, "user-42", 7), NO_RENEWAL)) {
			assertThat(lease.isValid()).isTrue();
			List<LockDescriptor> locks = endpoint.locks(securityContext).locks();
			assertThat(locks).hasSize(1);
			return locks.get(0).key();
		}
	}

	@Test
	void deleteForceReleasesTheKeyAndLogsWhoDidIt(CapturedOutput output) throws Exception {
		LockKey key = LockKey.of(this.namespace, "a/b", 42);
		assertThat(LockStores.acquire(this.store, key, "stuck-owner", Duration.ofMinutes(5))).isPresent();
		ForceReleaseDescriptor result = this.endpoint.forceRelease(key.asString(), securityContext("alice"));
		assertThat(result.key()).isEqualTo(key.asString());
		assertThat(result.released()).isTrue();
		assertThat(LockStores.acquire(this.store, key, "next-owner", Duration.ofMinutes(5))).isPresent();
		assertThat(output).contains("WARN").contains("Principal 'alice' force-released lock '" + key.asString() + "'");
	}

	@Test
	void deleteOfAFreeKeyReportsThatNothingWasHeld(CapturedOutput output) {
		ForceReleaseDescriptor result = this.endpoint.forceRelease(this.namespace + ":1", SecurityContext.NONE);
		assertThat(result.released()).isFalse();
		assertThat(output).contains("An unauthenticated caller force-released lock '" + this.namespace + ":1'")
			.contains("it was not held");
	}

	@Test
	void deleteOfAnInvalidKeyIsABadRequest() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.forceRelease("", SecurityContext.NONE))
			.withMessageContaining("Invalid lock key ''");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.forceRelease("ns:\\", SecurityContext.NONE));
	}

	private static SecurityContext securityContext(String name, String... roles) {
		Principal principal = () -> name;
		Set<String> granted = Set.of(roles);
		return new SecurityContext() {

			@Override
			public Principal getPrincipal() {
				return principal;
			}

			@Override
			public boolean isUserInRole(String role) {
				return granted.contains(role);
			}

		};
	}

}
