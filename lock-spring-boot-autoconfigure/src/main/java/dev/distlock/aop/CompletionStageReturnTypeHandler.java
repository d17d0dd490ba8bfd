package dev.distlock.aop;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import dev.distlock.annotation.OnFailure;
import dev.distlock.core.Lease;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@code CompletionStage} and {@code CompletableFuture}: the caller gets a future at
 * once, also while the lock is waited for; the method runs once the lock is held, and the
 * lock is released when the method's stage completes. A method that returns {@code null}
 * instead of a stage fails the future with {@link IllegalStateException} and releases the
 * lock.
 *
 * @author Distributed Lock team
 */
final class CompletionStageReturnTypeHandler implements ReturnTypeHandler {

	static final ReturnTypeHandler.Candidate CANDIDATE = (method) -> {
		Class<?> type = method.getReturnType();
		if (type == CompletionStage.class || type == CompletableFuture.class) {
			return new CompletionStageReturnTypeHandler();
		}
		if (CompletionStage.class.isAssignableFrom(type)) {
			throw new IllegalArgumentException("the method returns " + type.getName()
					+ "; @DistributedLock supports CompletionStage and CompletableFuture, not their subtypes");
		}
		if (Future.class.isAssignableFrom(type)) {
			throw new IllegalArgumentException("the method returns " + type.getName()
					+ ", a Future that cannot tell when it completes without blocking a thread; return a "
					+ "CompletableFuture (or CompletionStage) instead");
		}
		return null;
	};

	private static final Log logger = LogFactory.getLog(DistributedLockInterceptor.class);

	@Override
	public Object invoke(LockTemplate template, LockOperation operation, LockKey key, MethodInvocation invocation) {
		Supplier<CompletionStage<@Nullable Object>> section = () -> proceed(operation, invocation);
		if (operation.onFailure() != OnFailure.SKIP) {
			return template.executeAsync(key, operation.options(), section);
		}
		CompletableFuture<Optional<Lease>> acquired = template.tryAcquireAsync(key, operation.options());
		CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
		result.whenComplete((value, failure) -> {
			if (result.isCancelled()) {
				acquired.cancel(false);
			}
		});
		boolean immediately = acquired.isDone();
		acquired.whenComplete((lease, failure) -> {
			if (failure != null) {
				result.completeExceptionally(failure);
			}
			else if (lease.isEmpty()) {
				if (logger.isDebugEnabled()) {
					logger.debug("Skipped " + operation.description() + ": lock '" + key + "' is held");
				}
				result.complete(null);
			}
			else if (immediately) {
				forward(template.runHoldingAsync(lease.get(), section), result);
			}
			else {
				try {
					template.getAsyncExecutor()
						.execute(() -> forward(template.runHoldingAsync(lease.get(), section), result));
				}
				catch (RejectedExecutionException ex) {
					template.releaseAsync(lease.get());
					result.completeExceptionally(ex);
				}
			}
		});
		return result;
	}

	@SuppressWarnings("unchecked")
	private static CompletionStage<@Nullable Object> proceed(LockOperation operation, MethodInvocation invocation) {
		Object stage;
		try {
			stage = invocation.proceed();
		}
		catch (Throwable ex) {
			return CompletableFuture.failedFuture(ex);
		}
		if (stage == null) {
			return CompletableFuture.failedFuture(new IllegalStateException(
					operation.description() + " returned null instead of a CompletionStage; the lock was released"));
		}
		return (CompletionStage<@Nullable Object>) stage;
	}

	private static void forward(CompletableFuture<@Nullable Object> from, CompletableFuture<@Nullable Object> to) {
		from.whenComplete((value, failure) -> {
			if (failure != null) {
				to.completeExceptionally(failure);
			}
			else {
				to.complete(value);
			}
		});
	}

}
