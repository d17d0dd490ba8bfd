package dev.distlock.reactive;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

import dev.distlock.core.Lease;
import dev.distlock.core.LeaseLostPolicy;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockLostException;
import dev.distlock.core.LockNotAcquiredException;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockTemplate;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Distributed locks for Reactor: a {@code Mono} or {@code Flux} that runs under a lock,
 * without blocking a thread, also while it waits for the lock.
 *
 * <pre class="code">
 * Mono&lt;Token&gt; token = reactiveLockTemplate.execute(LockKey.of("token_refresh", userId),
 *         LockOptions.defaults(), tokenClient.refresh(userId));
 * </pre>
 *
 * The lock is acquired when the publisher is subscribed to, so each subscription is its
 * own acquisition; it is held while the publisher runs and released exactly once when it
 * completes, fails or is cancelled (also when it is cancelled while waiting for the
 * lock). A lease is renewed only while its publisher runs. When the lease is lost and
 * {@code distributed-lock.on-lease-lost=throw}, the publisher is cancelled and the result
 * fails with {@link LockLostException}. The lease is in the Reactor context
 * ({@link ReactiveLockContext}), and a publisher locked on a key its context already
 * holds reenters that lock without a store round trip.
 * <p>
 * The publisher is subscribed to on the thread that subscribed when the lock is free at
 * once, else on the lock template's {@linkplain LockTemplate#getAsyncExecutor() async
 * executor}: never on a store's I/O thread or the lock timer.
 *
 * @author Distributed Lock team
 */
public class ReactiveLockTemplate {

	private final LockTemplate lockTemplate;

	/**
	 * Create a reactive template on top of a lock template, sharing its store, settings
	 * and held leases.
	 * @param lockTemplate the lock template
	 */
	public ReactiveLockTemplate(LockTemplate lockTemplate) {
		this.lockTemplate = Objects.requireNonNull(lockTemplate, "lockTemplate must not be null");
	}

	/**
	 * Run a {@code Mono} under the lock.
	 * @param key the lock key
	 * @param options the options for this lock
	 * @param mono the work
	 * @param <T> the value type
	 * @return a {@code Mono} that acquires the lock on subscribe, fails with
	 * {@link LockNotAcquiredException} if the lock stayed held for the wait time, and
	 * with {@code LockStoreException} if the store failed
	 */
	public <T> Mono<T> execute(LockKey key, LockOptions options, Mono<T> mono) {
		return lockedMono(key, options, mono, false);
	}

	/**
	 * Run a {@code Flux} under the lock.
	 * @param key the lock key
	 * @param options the options for this lock
	 * @param flux the work
	 * @param <T> the element type
	 * @return a {@code Flux} that acquires the lock on subscribe, fails with
	 * {@link LockNotAcquiredException} if the lock stayed held for the wait time, and
	 * with {@code LockStoreException} if the store failed
	 */
	public <T> Flux<T> execute(LockKey key, LockOptions options, Flux<T> flux) {
		return locked(key, options, flux, false);
	}

	/**
	 * Run a {@code Mono} under the lock if it is acquired within the wait time.
	 * @param key the lock key
	 * @param options the options for this lock
	 * @param mono the work
	 * @param <T> the value type
	 * @return a {@code Mono} that completes empty, without subscribing to the work, if
	 * the lock stayed held
	 */
	public <T> Mono<T> tryExecute(LockKey key, LockOptions options, Mono<T> mono) {
		return lockedMono(key, options, mono, true);
	}

	/**
	 * Run a {@code Flux} under the lock if it is acquired within the wait time.
	 * @param key the lock key
	 * @param options the options for this lock
	 * @param flux the work
	 * @param <T> the element type
	 * @return a {@code Flux} that completes empty, without subscribing to the work, if
	 * the lock stayed held
	 */
	public <T> Flux<T> tryExecute(LockKey key, LockOptions options, Flux<T> flux) {
		return locked(key, options, flux, true);
	}

	private <T> Flux<T> locked(LockKey key, LockOptions options, Flux<T> work, boolean skipIfHeld) {
		Objects.requireNonNull(work, "flux must not be null");
		return Flux.deferContextual((context) -> {
			Lease held = ReactiveLockContext.find(context, key, this.lockTemplate::holds);
			if (held != null) {
				return this.lockTemplate.getSettings().isReentrant() ? work
						: Flux.from(refusedReentry(key, skipIfHeld));
			}
			return Flux.usingWhen(acquire(key, options, skipIfHeld), (lease) -> guarded(work, lease), this::release,
					(lease, error) -> release(lease), this::release);
		});
	}

	private <T> Mono<T> lockedMono(LockKey key, LockOptions options, Mono<T> work, boolean skipIfHeld) {
		Objects.requireNonNull(work, "mono must not be null");
		return Mono.deferContextual((context) -> {
			Lease held = ReactiveLockContext.find(context, key, this.lockTemplate::holds);
			if (held != null) {
				return this.lockTemplate.getSettings().isReentrant() ? work : refusedReentry(key, skipIfHeld);
			}
			// Mono.usingWhen, not Mono.from(Flux): the value goes downstream only after
			// the
			// release, so a caller that saw it never finds the lock still held.
			return Mono.usingWhen(acquire(key, options, skipIfHeld), (lease) -> Mono.from(guarded(work, lease)),
					this::release, (lease, error) -> release(lease), this::release);
		});
	}

	private static <T> Mono<T> refusedReentry(LockKey key, boolean skipIfHeld) {
		return skipIfHeld ? Mono.empty()
				: Mono.error(new LockNotAcquiredException(key, Duration.ZERO, "Lock '" + key
						+ "' is already held by this Reactor context, and distributed-lock.reentrant=false refuses "
						+ "reentry", null));
	}

	private Mono<Void> release(Lease lease) {
		return Mono.fromCompletionStage(() -> this.lockTemplate.releaseAsync(lease));
	}

	private <T> Flux<T> guarded(Publisher<T> work, Lease lease) {
		Flux<T> running = Flux.from(work).contextWrite((context) -> ReactiveLockContext.push(context, lease));
		if (this.lockTemplate.getSettings().getLeaseLostPolicy() != LeaseLostPolicy.THROW) {
			return running;
		}
		CompletableFuture<Void> lost = this.lockTemplate.whenLost(lease).toCompletableFuture();
		return running.takeUntilOther(Mono.fromFuture(lost, true))
			.concatWith(Mono.defer(() -> lost.isDone()
					? Mono.error(new LockLostException(lease.key(), lease.fencingToken())) : Mono.empty()));
	}

	/*
	 * Acquire without blocking: the lease is emitted on the subscribing thread when the
	 * lock is free at once, else on the async executor; cancelling stops waiting, and a
	 * lease that arrives after a cancel is released.
	 */
	private Mono<Lease> acquire(LockKey key, LockOptions options, boolean skipIfHeld) {
		Objects.requireNonNull(key, "key must not be null");
		Objects.requireNonNull(options, "options must not be null");
		Mono<Lease> acquire = Mono.<Lease>create((sink) -> {
			CompletableFuture<Lease> acquired = this.lockTemplate.acquireAsync(key, options);
			sink.onCancel(() -> acquired.cancel(false));
			boolean immediately = acquired.isDone();
			acquired.whenComplete((lease, failure) -> {
				Runnable signal = (failure != null) ? () -> sink.error(unwrap(failure)) : () -> sink.success(lease);
				if (immediately) {
					signal.run();
					return;
				}
				try {
					this.lockTemplate.getAsyncExecutor().execute(signal);
				}
				catch (RejectedExecutionException ex) {
					signal.run();
				}
			});
		}).doOnDiscard(Lease.class, this.lockTemplate::releaseAsync);
		return skipIfHeld ? acquire.onErrorResume(LockNotAcquiredException.class, (ex) -> Mono.empty()) : acquire;
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/**
	 * Return the lock template this reactive template runs on.
	 * @return the lock template
	 */
	public LockTemplate getLockTemplate() {
		return this.lockTemplate;
	}

}
