package dev.distlock.aop;

import dev.distlock.annotation.OnFailure;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockTemplate;
import dev.distlock.expression.LockKeyExpressions;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.expression.BeanResolver;

/**
 * Everything the interceptor needs to lock one method, resolved once when the application
 * starts: the parsed key expressions, the lock options, what to do when the lock is held,
 * and how the method's return type is locked.
 *
 * @author Distributed Lock team
 */
public final class LockOperation {

	private final String description;

	private final LockKeyExpressions keys;

	private final LockOptions options;

	private final OnFailure onFailure;

	private final ReturnTypeHandler handler;

	LockOperation(String description, LockKeyExpressions keys, LockOptions options, OnFailure onFailure,
			ReturnTypeHandler handler) {
		this.description = description;
		this.keys = keys;
		this.options = options;
		this.onFailure = onFailure;
		this.handler = handler;
	}

	/**
	 * Return the method, as error messages name it.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

	/**
	 * Return the lock namespace.
	 * @return the namespace
	 */
	public String namespace() {
		return this.keys.namespace();
	}

	/**
	 * Return the lock options from the annotation; unset values take the configured
	 * defaults.
	 * @return the options
	 */
	public LockOptions options() {
		return this.options;
	}

	/**
	 * Return what happens when the lock is not acquired: {@code THROW} or {@code SKIP},
	 * never {@code DEFAULT}.
	 * @return the failure mode
	 */
	public OnFailure onFailure() {
		return this.onFailure;
	}

	/**
	 * Build the key for one call.
	 * @param target the object the method is called on
	 * @param targetClass the class of the target
	 * @param args the call's arguments
	 * @param beanResolver resolves {@code @beanName} references
	 * @return the key
	 */
	public LockKey key(Object target, Class<?> targetClass, @Nullable Object[] args,
			@Nullable BeanResolver beanResolver) {
		return this.keys.evaluate(target, targetClass, args, beanResolver);
	}

	@Nullable Object invoke(LockTemplate template, LockKey key, MethodInvocation invocation) throws Throwable {
		return this.handler.invoke(template, this, key, invocation);
	}

}
