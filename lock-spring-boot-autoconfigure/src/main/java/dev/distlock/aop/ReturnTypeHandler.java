package dev.distlock.aop;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Runs a locked method of one kind of return type: blocking values, a
 * {@code CompletionStage}, a Reactor publisher or a Kotlin coroutine. One handler per
 * kind, so adding one does not touch the others; the {@link LockOperationSource} picks a
 * method's handler once, when the application starts.
 *
 * @author Distributed Lock team
 */
interface ReturnTypeHandler {

	/**
	 * Run the call under the lock.
	 * @param template the lock template
	 * @param operation the method's lock operation
	 * @param key the key of this call
	 * @param invocation the call
	 * @return what the caller gets
	 * @throws Throwable what the method threw (blocking methods only)
	 */
	@Nullable Object invoke(LockTemplate template, LockOperation operation, LockKey key, MethodInvocation invocation)
			throws Throwable;

	/**
	 * Return the handlers available on the class path, the most specific first; the last
	 * handles blocking methods.
	 * @param classLoader the class loader of the application
	 * @return the handlers
	 */
	static List<Candidate> candidates(@Nullable ClassLoader classLoader) {
		List<Candidate> candidates = new ArrayList<>();
		if (ClassUtils.isPresent("reactor.core.publisher.Mono", classLoader)) {
			candidates.add(ReactorReturnTypeHandler.candidate(classLoader));
		}
		candidates.add(CompletionStageReturnTypeHandler.CANDIDATE);
		candidates.add(BlockingReturnTypeHandler.CANDIDATE);
		return candidates;
	}

	/**
	 * A handler and the methods it takes.
	 */
	interface Candidate {

		/**
		 * Return the handler for a method, if this candidate takes it.
		 * @param method the locked method
		 * @return the handler, or {@code null}
		 * @throws IllegalArgumentException if the method's return type is of this kind
		 * but not supported, with the reason
		 */
		@Nullable ReturnTypeHandler handlerFor(Method method);

	}

}
