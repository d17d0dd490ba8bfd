package dev.distlock.aop;

import java.lang.reflect.Method;

import dev.distlock.annotation.OnFailure;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import dev.distlock.reactive.ReactiveLockTemplate;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.KotlinDetector;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.ClassUtils;

/**
 * Reactor {@code Mono}, {@code Flux} and {@code Publisher}, Kotlin {@code suspend}
 * functions and {@code Flow}: the method is called when the proxy is (it assembles the
 * publisher), and every subscription to what it returns acquires the lock without
 * blocking, holds it while the publisher runs, and releases it exactly once on complete,
 * error or cancel (see {@link ReactiveLockTemplate}). Spring Framework turns a
 * {@code suspend} function into a {@code Mono} (or a {@code Flux} for one that returns a
 * {@code Flow}) for advice, so the lease follows the coroutine through the Reactor
 * context, never a thread. Other reactive types (RxJava) are rejected at startup.
 *
 * @author Distributed Lock team
 */
final class ReactorReturnTypeHandler implements ReturnTypeHandler {

	private static final String FLOW = "kotlinx.coroutines.flow.Flow";

	private final @Nullable ReactiveAdapter adapter;

	private final boolean mono;

	private ReactorReturnTypeHandler(@Nullable ReactiveAdapter adapter, boolean mono) {
		this.adapter = adapter;
		this.mono = mono;
	}

	static ReturnTypeHandler.Candidate candidate(@Nullable ClassLoader classLoader) {
		boolean flowPresent = ClassUtils.isPresent(FLOW, classLoader);
		return (method) -> handlerFor(method, flowPresent, classLoader);
	}

	private static @Nullable ReturnTypeHandler handlerFor(Method method, boolean flowPresent,
			@Nullable ClassLoader classLoader) {
		Class<?> type = method.getReturnType();
		if (KotlinDetector.isSuspendingFunction(method)) {
			return new ReactorReturnTypeHandler(null, !returnsFlow(method));
		}
		if (type == Mono.class) {
			return new ReactorReturnTypeHandler(null, true);
		}
		if (type == Flux.class || type == Publisher.class) {
			return new ReactorReturnTypeHandler(null, false);
		}
		if (flowPresent && type.getName().equals(FLOW)) {
			ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(type);
			if (adapter == null) {
				throw new IllegalArgumentException("the method returns a Kotlin Flow, which needs "
						+ "kotlinx-coroutines-reactor on the class path");
			}
			return new ReactorReturnTypeHandler(adapter, false);
		}
		if (Publisher.class.isAssignableFrom(type) || type.getName().startsWith("io.reactivex.")) {
			throw new IllegalArgumentException("the method returns " + type.getName()
					+ "; @DistributedLock supports Mono, Flux, Publisher, CompletionStage, Kotlin suspend functions and "
					+ "Flow among asynchronous types");
		}
		return null;
	}

	private static boolean returnsFlow(Method method) {
		java.lang.reflect.Type[] parameters = method.getGenericParameterTypes();
		// A suspend function's result type is the Continuation's type argument.
		java.lang.reflect.Type continuation = parameters[parameters.length - 1];
		if (continuation instanceof java.lang.reflect.ParameterizedType parameterized) {
			java.lang.reflect.Type result = parameterized.getActualTypeArguments()[0];
			if (result instanceof java.lang.reflect.WildcardType wildcard && wildcard.getLowerBounds().length > 0) {
				result = wildcard.getLowerBounds()[0];
			}
			if (result instanceof java.lang.reflect.ParameterizedType parameterizedResult) {
				result = parameterizedResult.getRawType();
			}
			return result instanceof Class<?> resultClass && resultClass.getName().equals(FLOW);
		}
		return false;
	}

	@Override
	public Object invoke(LockTemplate template, LockOperation operation, LockKey key, MethodInvocation invocation)
			throws Throwable {
		ReactiveLockTemplate reactive = new ReactiveLockTemplate(template);
		boolean skip = operation.onFailure() == OnFailure.SKIP;
		Object assembled = invocation.proceed();
		if (assembled == null) {
			IllegalStateException error = new IllegalStateException(
					operation.description() + " returned null instead of a publisher; nothing was locked");
			return this.mono ? Mono.error(error) : adapt(Flux.error(error));
		}
		if (this.mono) {
			Mono<?> work = (assembled instanceof Mono<?> given) ? given : Mono.from((Publisher<?>) assembled);
			return skip ? reactive.tryExecute(key, operation.options(), work)
					: reactive.execute(key, operation.options(), work);
		}
		Flux<?> work = (this.adapter != null) ? Flux.from(this.adapter.toPublisher(assembled))
				: Flux.from((Publisher<?>) assembled);
		return adapt(skip ? reactive.tryExecute(key, operation.options(), work)
				: reactive.execute(key, operation.options(), work));
	}

	private Object adapt(Flux<?> flux) {
		return (this.adapter != null) ? this.adapter.fromPublisher(flux) : flux;
	}

}
