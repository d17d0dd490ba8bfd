package dev.distlock.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LockWaiters}.
 *
 * @author Distributed Lock team
 */
class LockWaitersTests {

	private final LockWaiters waiters = new LockWaiters();

	private final LockKey key = LockKey.of("waiters", 1);

	private final List<String> events = new ArrayList<>();

	@Test
	void wakeOneWakesTheLongestWaiter() {
		this.waiters.register(this.key, "first", listener("first", true, true));
		this.waiters.register(this.key, "second", listener("second", true, true));
		assertThat(this.waiters.wakeOne(this.key)).isTrue();
		assertThat(this.events).containsExactly("first released");
	}

	@Test
	void wakeOnePassesByAWaiterThatNoLongerWaits() {
		// Done (handed the lock a moment ago), not yet unregistered: a release announced
		// now must reach a waiter that still waits.
		this.waiters.register(this.key, "done", listener("done", false, false));
		this.waiters.register(this.key, "waiting", listener("waiting", true, true));
		assertThat(this.waiters.wakeOne(this.key)).isTrue();
		assertThat(this.events).containsExactly("done released", "waiting released");
	}

	@Test
	void wakeOneReportsWhenNobodyStillWaits() {
		this.waiters.register(this.key, "done", listener("done", false, false));
		assertThat(this.waiters.wakeOne(this.key)).isFalse();
		assertThat(this.waiters.wakeOne(LockKey.of("waiters", 2))).isFalse();
	}

	@Test
	void grantReachesTheWaiterWithThatOwnerAndReportsWhetherItTookTheLock() {
		this.waiters.register(this.key, "first", listener("first", true, true));
		this.waiters.register(this.key, "second", listener("second", true, false));
		assertThat(this.waiters.grant(this.key, "second", 42, System.nanoTime(), Duration.ofSeconds(2))).isFalse();
		assertThat(this.waiters.grant(this.key, "first", 43, System.nanoTime(), Duration.ofSeconds(2))).isTrue();
		assertThat(this.waiters.grant(this.key, "gone", 44, System.nanoTime(), Duration.ofSeconds(2))).isFalse();
		assertThat(this.events).containsExactly("second granted 42", "first granted 43");
	}

	@Test
	void aClosedSubscriptionIsNoLongerWoken() {
		WaitSubscription first = this.waiters.register(this.key, "first", listener("first", true, true));
		this.waiters.register(this.key, "second", listener("second", true, true));
		first.close();
		assertThat(this.waiters.wakeOne(this.key)).isTrue();
		assertThat(this.events).containsExactly("second released");
		assertThat(this.waiters.hasWaiters(this.key)).isTrue();
	}

	private LockWaitListener listener(String name, boolean waiting, boolean takes) {
		return new LockWaitListener() {

			@Override
			public boolean released() {
				LockWaitersTests.this.events.add(name + " released");
				return waiting;
			}

			@Override
			public boolean granted(long fencingToken, long validFromNanos, Duration validFor) {
				LockWaitersTests.this.events.add(name + " granted " + fencingToken);
				return takes;
			}

		};
	}

}
