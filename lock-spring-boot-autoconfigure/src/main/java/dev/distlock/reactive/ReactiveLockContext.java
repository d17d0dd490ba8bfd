package dev.distlock.reactive;

import java.util.List;
import java.util.function.Predicate;

import dev.distlock.core.Lease;
import dev.distlock.core.LockKey;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Access to the lease of the locked publisher that is running, from the Reactor context:
 * the reactive counterpart of {@link dev.distlock.core.LockContext}.
 *
 * <pre class="code">
 * ReactiveLockContext.currentLease()
 *     .flatMap((lease) -&gt; inventory.write(item, lease.fencingToken()));
 * </pre>
 *
 * In a Kotlin {@code suspend} function that is locked,
 * {@code ReactiveLockContext.currentLease().awaitSingleOrNull()} finds the lease, since
 * the coroutine carries the Reactor context.
 *
 * @author Distributed Lock team
 */
public final class ReactiveLockContext {

	/**
	 * The key of the leases in the Reactor context: an immutable list, innermost first.
	 * The same as {@link dev.distlock.core.LockContext#CONTEXT_KEY}, so that Micrometer's
	 * context propagation carries them between the Reactor context and
	 * {@code LockContext}.
	 */
	public static final String CONTEXT_KEY = dev.distlock.core.LockContext.CONTEXT_KEY;

	private ReactiveLockContext() {
	}

	/**
	 * Return the innermost lease of the locked publisher that is running.
	 * @return the lease, or empty outside a locked publisher
	 */
	public static Mono<Lease> currentLease() {
		return Mono.deferContextual((context) -> Mono.justOrEmpty(innermost(context)));
	}

	static @Nullable Lease innermost(ContextView context) {
		List<Lease> leases = leases(context);
		return leases.isEmpty() ? null : leases.get(0);
	}

	static @Nullable Lease find(ContextView context, LockKey key, Predicate<Lease> ours) {
		for (Lease lease : leases(context)) {
			if (lease.key().equals(key) && ours.test(lease)) {
				return lease;
			}
		}
		return null;
	}

	static Context push(Context context, Lease lease) {
		List<Lease> leases = leases(context);
		Lease[] pushed = new Lease[leases.size() + 1];
		pushed[0] = lease;
		for (int i = 0; i < leases.size(); i++) {
			pushed[i + 1] = leases.get(i);
		}
		return context.put(CONTEXT_KEY, List.of(pushed));
	}

	@SuppressWarnings("unchecked")
	private static List<Lease> leases(ContextView context) {
		return context.getOrDefault(CONTEXT_KEY, List.of());
	}

}
