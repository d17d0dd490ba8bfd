package dev.distlock.core;

import java.util.List;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer's context propagation carry the leases of {@link LockContext} (for
 * example between a Reactor context and the thread that runs a coroutine, with Reactor's
 * automatic context propagation or Spring's {@code PropagationContextElement}), under
 * {@link LockContext#CONTEXT_KEY}. Registered through {@code ServiceLoader} when
 * {@code io.micrometer:context-propagation} is on the class path.
 *
 * @author Distributed Lock team
 */
public final class LockContextAccessor implements ThreadLocalAccessor<List<Lease>> {

	/**
	 * Create an accessor (used by {@code ServiceLoader}).
	 */
	public LockContextAccessor() {
	}

	@Override
	public Object key() {
		return LockContext.CONTEXT_KEY;
	}

	@Override
	public @Nullable List<Lease> getValue() {
		return LockContext.snapshot();
	}

	@Override
	public void setValue(List<Lease> value) {
		LockContext.restore(value);
	}

	@Override
	public void setValue() {
		LockContext.restore(null);
	}

	@Override
	public void restore(List<Lease> previousValue) {
		LockContext.restore(previousValue);
	}

	@Override
	public void restore() {
		LockContext.restore(null);
	}

}
