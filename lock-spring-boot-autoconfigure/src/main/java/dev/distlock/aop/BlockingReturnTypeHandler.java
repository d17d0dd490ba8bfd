package dev.distlock.aop;

import java.util.Optional;

import dev.distlock.annotation.OnFailure;
import dev.distlock.core.Lease;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Plain values and {@code void}: the lock is held on the calling thread while the method
 * runs, and released in {@code finally}.
 *
 * @author Distributed Lock team
 */
final class BlockingReturnTypeHandler implements ReturnTypeHandler {

	static final ReturnTypeHandler.Candidate CANDIDATE = (method) -> {
		Class<?>[] parameters = method.getParameterTypes();
		if (parameters.length > 0
				&& parameters[parameters.length - 1].getName().equals("kotlin.coroutines.Continuation")) {
			throw new IllegalArgumentException("the method is a Kotlin suspend function, which needs Reactor and "
					+ "kotlinx-coroutines-reactor on the class path to be locked");
		}
		return new BlockingReturnTypeHandler(method.getReturnType() == Optional.class);
	};

	private static final Log logger = LogFactory.getLog(DistributedLockInterceptor.class);

	private final boolean returnsOptional;

	private BlockingReturnTypeHandler(boolean returnsOptional) {
		this.returnsOptional = returnsOptional;
	}

	@Override
	public @Nullable Object invoke(LockTemplate template, LockOperation operation, LockKey key,
			MethodInvocation invocation) throws Throwable {
		Lease lease;
		if (operation.onFailure() == OnFailure.SKIP) {
			Optional<Lease> acquired = template.tryAcquire(key, operation.options());
			if (acquired.isEmpty()) {
				if (logger.isDebugEnabled()) {
					logger.debug("Skipped " + operation.description() + ": lock '" + key + "' is held");
				}
				return this.returnsOptional ? Optional.empty() : null;
			}
			lease = acquired.get();
		}
		else {
			lease = template.acquire(key, operation.options());
		}
		return template.runHolding(lease, invocation::proceed);
	}

}
