package dev.distlock.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import dev.distlock.core.AcquireResult;
import dev.distlock.core.LeaseRenewal;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockWaitListener;
import dev.distlock.core.WaitSubscription;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;

/**
 * A {@link LockStore} that wraps another store and records every acquisition and release,
 * so that a test can check which keys its code locked, how often, and that no two holders
 * of one key overlapped. Locking behaves exactly as on the wrapped store.
 *
 * <pre class="code">
 * RecordingLockStore locks = new RecordingLockStore(new InMemoryLockStore());
 * LockTemplate template = LockTemplate.builder(locks).scheduler(scheduler).build();
 * // ... run the code under test ...
 * assertThat(locks.acquisitionCount(LockKey.of("token_refresh", 42))).isEqualTo(1);
 * assertThat(locks.overlaps()).isEmpty();
 * </pre>
 *
 * With AssertJ, {@link RecordingLockStoreAssert#assertThat(RecordingLockStore)} reads
 * better. In a Spring Boot test,
 * {@link dev.distlock.test.autoconfigure.AutoConfigureDistributedLock @AutoConfigureDistributedLock}
 * wraps the auto-configured store in one, to be injected as a {@code RecordingLockStore}
 * and cleared before each test method.
 * <p>
 * <strong>What counts as holding.</strong> A holding starts when the store answers that
 * an attempt acquired the lock, or tells a waiter that a release handed the lock to it
 * (Redis), and ends when its holder asks the store to release it, abandons it, or an
 * operator force-releases the key. Both ends are recorded on the side where they cannot
 * make a correct run look wrong: a holder that asks for the release has finished its
 * work, and the next holder can only be answered after the store processed that release.
 * Two holdings of one key overlap when one starts before the other ended; that happens
 * when a lease expired in the store while its holder was still running (a lease time
 * shorter than the work, a long pause), or with a store that does not exclude.
 * <p>
 * Only store operations are recorded: a reentrant call that the template answers without
 * the store (see {@code distributed-lock.reentrant}) is not an acquisition here, and an
 * acquisition that waits may make several attempts but is recorded once.
 * <p>
 * Thread-safe. Every record stays in memory until {@link #reset()}.
 *
 * @author Distributed Lock team
 * @see RecordingLockStoreAssert
 */
public class RecordingLockStore implements LockStore, DisposableBean, AutoCloseable {

	private final LockStore delegate;

	private final Object monitor = new Object();

	private final AtomicBoolean closed = new AtomicBoolean();

	private long sequence;

	/** Every holding, in the order in which the store granted them. */
	private final List<Holding> holdings = new ArrayList<>();

	/** The holdings that have not ended, by owner token. */
	private final Map<String, Holding> open = new HashMap<>();

	/** The owners whose attempts found the key held and that have not acquired it. */
	private final Map<LockKey, Set<String>> refused = new LinkedHashMap<>();

	/** The number of attempts of each owner that the store has not answered yet. */
	private final Map<String, Integer> inFlight = new HashMap<>();

	/** Owners given up while the store had not answered an attempt (a time-out). */
	private final Set<String> abandoned = new HashSet<>();

	/**
	 * Create a store that records what happens on another.
	 * @param delegate the store that does the locking
	 */
	public RecordingLockStore(LockStore delegate) {
		this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
	}

	/**
	 * Return the store that does the locking.
	 * @return the wrapped store
	 */
	public LockStore getDelegate() {
		return this.delegate;
	}

	// The store SPI: record, then let the wrapped store do the work

	@Override
	public String storeName() {
		return this.delegate.storeName();
	}

	@Override
	public CompletionStage<AcquireResult> tryAcquire(LockRequest request) {
		synchronized (this.monitor) {
			this.inFlight.merge(request.owner(), 1, Integer::sum);
		}
		// Recorded before the caller sees the answer, so its locked work starts after the
		// holding did.
		return this.delegate.tryAcquire(request).whenComplete((result, failure) -> answered(request, result));
	}

	@Override
	public CompletionStage<Boolean> release(LockKey key, String owner) {
		// Recorded before the store sees the release: the next holder cannot be answered
		// before that.
		Holding holding = end(owner, RecordedAcquisition.Ending.RELEASED);
		return this.delegate.release(key, owner).whenComplete((released, failure) -> {
			if (holding != null && Boolean.FALSE.equals(released)) {
				lost(holding);
			}
		});
	}

	@Override
	public CompletionStage<List<Boolean>> renew(List<LeaseRenewal> renewals) {
		return this.delegate.renew(renewals).whenComplete((renewed, failure) -> {
			if (renewed == null) {
				return;
			}
			for (int i = 0; i < renewals.size() && i < renewed.size(); i++) {
				if (Boolean.FALSE.equals(renewed.get(i))) {
					Holding holding;
					synchronized (this.monitor) {
						holding = this.open.get(renewals.get(i).owner());
					}
					if (holding != null) {
						lost(holding);
					}
				}
			}
		});
	}

	@Override
	public CompletionStage<Boolean> forceRelease(LockKey key) {
		synchronized (this.monitor) {
			List<String> owners = this.open.values()
				.stream()
				.filter((holding) -> holding.key.equals(key))
				.map((holding) -> holding.owner)
				.toList();
			owners.forEach((owner) -> end(owner, RecordedAcquisition.Ending.FORCE_RELEASED));
		}
		return this.delegate.forceRelease(key);
	}

	@Override
	public CompletionStage<Boolean> abandon(LockRequest request) {
		synchronized (this.monitor) {
			if (end(request.owner(), RecordedAcquisition.Ending.ABANDONED) == null
					&& this.inFlight.containsKey(request.owner())) {
				// An attempt is still under way and may yet succeed in the store.
				this.abandoned.add(request.owner());
			}
		}
		return this.delegate.abandon(request);
	}

	@Override
	public WaitSubscription subscribe(LockKey key, String owner, Runnable onRelease) {
		return this.delegate.subscribe(key, owner, onRelease);
	}

	@Override
	public WaitSubscription subscribe(LockKey key, String owner, LockWaitListener listener) {
		return this.delegate.subscribe(key, owner, new LockWaitListener() {

			@Override
			public boolean released() {
				return listener.released();
			}

			@Override
			public boolean granted(long fencingToken, long validFromNanos, Duration validFor) {
				// The store handed the lock over: recorded before the waiter learns it.
				Holding holding = handed(key, owner, fencingToken);
				boolean taken = listener.granted(fencingToken, validFromNanos, validFor);
				if (!taken && holding != null) {
					// The waiter has gone: the store passes the lock on.
					end(owner, RecordedAcquisition.Ending.ABANDONED);
					forget(holding);
				}
				return taken;
			}

		});
	}

	/*
	 * Record a holding handed to a waiter, unless the waiter's own attempt claimed the
	 * lock and was answered first (the grant and the answer come on different
	 * connections): then the holding is the one already recorded, and it ends when that
	 * holder releases. Returns the new holding, or null for none.
	 */
	private @Nullable Holding handed(LockKey key, String owner, long fencingToken) {
		synchronized (this.monitor) {
			Holding claimed = this.open.get(owner);
			if (claimed != null && claimed.key.equals(key)) {
				return null;
			}
			Set<String> refusedOwners = this.refused.get(key);
			if (refusedOwners != null) {
				refusedOwners.remove(owner);
			}
			Holding holding = new Holding(key, owner, fencingToken, ++this.sequence, Instant.now());
			this.holdings.add(holding);
			this.open.put(owner, holding);
			return holding;
		}
	}

	private void forget(Holding holding) {
		synchronized (this.monitor) {
			this.holdings.remove(holding);
		}
	}

	@Override
	public Duration pollInterval() {
		return this.delegate.pollInterval();
	}

	@Override
	public @Nullable Executor blockingExecutor() {
		return this.delegate.blockingExecutor();
	}

	@Override
	public void checkAvailability() {
		this.delegate.checkAvailability();
	}

	private void answered(LockRequest request, @Nullable AcquireResult result) {
		synchronized (this.monitor) {
			String owner = request.owner();
			this.inFlight.computeIfPresent(owner, (key, pending) -> (pending > 1) ? pending - 1 : null);
			if (result == null) {
				// The store failed: nothing was acquired as far as anyone knows.
				this.abandoned.remove(owner);
				return;
			}
			if (!result.isAcquired()) {
				this.abandoned.remove(owner);
				this.refused.computeIfAbsent(request.key(), (key) -> new LinkedHashSet<>()).add(owner);
				return;
			}
			Holding handed = this.open.get(owner);
			if (handed != null && handed.key.equals(request.key())) {
				// The store had handed the lock to this owner, whose attempt claimed it:
				// the same holding, under the claim's token.
				handed.fencingToken = result.fencingToken();
				this.abandoned.remove(owner);
				return;
			}
			Set<String> refusedOwners = this.refused.get(request.key());
			if (refusedOwners != null) {
				refusedOwners.remove(owner);
			}
			Holding holding = new Holding(request.key(), owner, result.fencingToken(), ++this.sequence, Instant.now());
			this.holdings.add(holding);
			this.open.put(owner, holding);
			if (this.abandoned.remove(owner)) {
				// Its caller gave up before this answer came: the template releases it
				// now.
				end(owner, RecordedAcquisition.Ending.ABANDONED);
			}
		}
	}

	private @Nullable Holding end(String owner, RecordedAcquisition.Ending ending) {
		synchronized (this.monitor) {
			Holding holding = this.open.remove(owner);
			if (holding != null) {
				holding.endSequence = ++this.sequence;
				holding.endedAt = Instant.now();
				holding.ending = ending;
			}
			return holding;
		}
	}

	private void lost(Holding holding) {
		synchronized (this.monitor) {
			holding.lost = true;
		}
	}

	// What a test asks

	/**
	 * Return every acquisition recorded since the last {@link #reset()}, in the order the
	 * store granted them.
	 * @return a snapshot of the acquisitions
	 */
	public List<RecordedAcquisition> acquisitions() {
		return select((holding) -> true);
	}

	/**
	 * Return the acquisitions of one key, in the order the store granted them.
	 * @param key the lock key
	 * @return a snapshot of the key's acquisitions
	 */
	public List<RecordedAcquisition> acquisitions(LockKey key) {
		Objects.requireNonNull(key, "key must not be null");
		return select((holding) -> holding.key.equals(key));
	}

	/**
	 * Return the acquisitions of every key of one namespace, in the order the store
	 * granted them.
	 * @param namespace the namespace, such as {@code token_refresh}
	 * @return a snapshot of the namespace's acquisitions
	 */
	public List<RecordedAcquisition> acquisitionsInNamespace(String namespace) {
		Objects.requireNonNull(namespace, "namespace must not be null");
		return select((holding) -> holding.key.namespace().equals(namespace));
	}

	/**
	 * Return the number of times a key was acquired.
	 * @param key the lock key
	 * @return how often the store granted it
	 */
	public int acquisitionCount(LockKey key) {
		return acquisitions(key).size();
	}

	/**
	 * Return the keys that were acquired, in the order of their first acquisition.
	 * @return the locked keys
	 */
	public Set<LockKey> lockedKeys() {
		synchronized (this.monitor) {
			Set<LockKey> keys = new LinkedHashSet<>();
			this.holdings.forEach((holding) -> keys.add(holding.key));
			return keys;
		}
	}

	/**
	 * Return how many acquisitions of a key found it held by another owner and did not
	 * get it: those that failed with {@code LockNotAcquiredException}, were skipped
	 * ({@code OnFailure.SKIP}) or came back empty from {@code tryAcquire}. One that waits
	 * counts once however many attempts it makes, and counts until it gets the lock.
	 * @param key the lock key
	 * @return the number of acquisitions refused
	 */
	public int notAcquiredCount(LockKey key) {
		Objects.requireNonNull(key, "key must not be null");
		synchronized (this.monitor) {
			Set<String> owners = this.refused.get(key);
			return (owners != null) ? owners.size() : 0;
		}
	}

	/**
	 * Return the acquisitions whose holders have not released them yet.
	 * @return a snapshot of the held locks, oldest first
	 */
	public List<RecordedAcquisition> held() {
		return select((holding) -> holding.ending == null);
	}

	/**
	 * Return every pair of acquisitions of one key whose holdings overlapped: the later
	 * one was granted before the earlier one ended.
	 * @return the overlaps, in the order the later acquisitions were granted; empty when
	 * the holders of every key took turns
	 */
	public List<LockOverlap> overlaps() {
		synchronized (this.monitor) {
			List<LockOverlap> overlaps = new ArrayList<>();
			Map<LockKey, List<Holding>> unfinished = new HashMap<>();
			for (Holding later : this.holdings) {
				List<Holding> earlier = unfinished.computeIfAbsent(later.key, (key) -> new ArrayList<>());
				// Holdings that ended before this one started can never overlap it or any
				// later one.
				earlier.removeIf((holding) -> holding.endSequence < later.acquiredSequence);
				for (Holding holding : earlier) {
					overlaps.add(new LockOverlap(holding.snapshot(), later.snapshot()));
				}
				earlier.add(later);
			}
			return overlaps;
		}
	}

	/**
	 * Forget what was recorded so far, to start a test afresh. Locks still held stay
	 * recorded: they are held, and a holder that takes one of them over must show up as
	 * an overlap.
	 */
	public void reset() {
		synchronized (this.monitor) {
			this.holdings.removeIf((holding) -> holding.ending != null);
			this.refused.clear();
		}
	}

	private List<RecordedAcquisition> select(Predicate<Holding> filter) {
		synchronized (this.monitor) {
			return this.holdings.stream().filter(filter).map(Holding::snapshot).toList();
		}
	}

	// Lifecycle: the wrapped store's, as if it were the bean itself

	/**
	 * Close the wrapped store, if it can be closed. Idempotent.
	 * @throws IllegalStateException if closing the wrapped store failed
	 */
	@Override
	public void close() {
		try {
			destroy();
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not close lock store " + this.delegate, ex);
		}
	}

	/**
	 * Close the wrapped store, if it can be closed, when the application context closes.
	 * Idempotent.
	 * @throws Exception what closing the wrapped store threw
	 */
	@Override
	public void destroy() throws Exception {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		if (this.delegate instanceof DisposableBean disposable) {
			disposable.destroy();
		}
		else if (this.delegate instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	@Override
	public String toString() {
		return "RecordingLockStore[" + this.delegate.storeName() + "]";
	}

	private static final class Holding {

		private final LockKey key;

		private final String owner;

		private long fencingToken;

		private final long acquiredSequence;

		private final Instant acquiredAt;

		private long endSequence = Long.MAX_VALUE;

		private @Nullable Instant endedAt;

		private RecordedAcquisition.@Nullable Ending ending;

		private boolean lost;

		Holding(LockKey key, String owner, long fencingToken, long acquiredSequence, Instant acquiredAt) {
			this.key = key;
			this.owner = owner;
			this.fencingToken = fencingToken;
			this.acquiredSequence = acquiredSequence;
			this.acquiredAt = acquiredAt;
		}

		RecordedAcquisition snapshot() {
			return new RecordedAcquisition(this.key, this.fencingToken, this.acquiredAt, this.endedAt, this.ending,
					this.lost);
		}

	}

}
