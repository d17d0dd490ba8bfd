package dev.distlock.aop;

import java.util.function.Supplier;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.expression.BeanResolver;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs {@link dev.distlock.annotation.DistributedLock @DistributedLock} methods under
 * their lock: builds the key from the call's arguments and hands the call to the handler
 * of the method's return type, which acquires the lock through the {@link LockTemplate},
 * runs the method and releases the lock in every case: on the calling thread for plain
 * values, when the returned stage or publisher ends for asynchronous ones. The method's
 * own exception propagates unchanged.
 *
 * @author Distributed Lock team
 */
public class DistributedLockInterceptor implements MethodInterceptor, BeanFactoryAware {

	private final LockOperationSource operationSource;

	private final Supplier<LockTemplate> lockTemplate;

	private @Nullable BeanResolver beanResolver;

	/**
	 * Create an interceptor.
	 * @param operationSource where lock operations come from
	 * @param lockTemplate supplies the template at the first call, so that the advisor
	 * does not create the store's beans while post-processors are being registered
	 */
	public DistributedLockInterceptor(LockOperationSource operationSource, Supplier<LockTemplate> lockTemplate) {
		this.operationSource = operationSource;
		this.lockTemplate = SingletonSupplier.of(lockTemplate);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanResolver = new BeanFactoryResolver(beanFactory);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
		LockOperation operation = this.operationSource.getOperation(invocation.getMethod(), targetClass);
		if (operation == null || target == null) {
			return invocation.proceed();
		}
		LockKey key = operation.key(target, targetClass, invocation.getArguments(), this.beanResolver);
		return operation.invoke(this.lockTemplate.get(), key, invocation);
	}

}
