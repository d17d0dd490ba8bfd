package dev.distlock.aop;

import java.lang.reflect.Method;

import dev.distlock.annotation.DistributedLock;
import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * The advisor that applies the {@link DistributedLockInterceptor} to every method with a
 * {@link DistributedLock @DistributedLock} (on the method, or on its class for public
 * methods). Its order decides where the lock sits among other advice: by default outside
 * {@code @Transactional}, so the lock is taken before a transaction begins and released
 * after it ends.
 *
 * @author Distributed Lock team
 */
public class DistributedLockAdvisor extends AbstractPointcutAdvisor {

	private static final long serialVersionUID = 1L;

	private final transient LockOperationSource operationSource;

	private final transient DistributedLockInterceptor interceptor;

	private final transient Pointcut pointcut = new StaticMethodMatcherPointcut() {

		@Override
		public ClassFilter getClassFilter() {
			return (type) -> AnnotationUtils.isCandidateClass(type, DistributedLock.class);
		}

		@Override
		public boolean matches(Method method, @Nullable Class<?> targetClass) {
			return DistributedLockAdvisor.this.operationSource.getOperation(method, targetClass) != null;
		}

	};

	/**
	 * Create an advisor.
	 * @param operationSource where lock operations come from
	 * @param interceptor the interceptor to apply
	 */
	public DistributedLockAdvisor(LockOperationSource operationSource, DistributedLockInterceptor interceptor) {
		this.operationSource = operationSource;
		this.interceptor = interceptor;
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

}
