package dev.distlock.aop;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.distlock.annotation.OnFailure;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.expression.LockKeyExpressions;

import org.springframework.expression.BeanResolver;

/**
 * Everything the interceptor needs to lock one method, resolved once when the application
 * starts: the parsed key expressions, the lock options and what to do when the lock is
 * held.
 *
 * @param description the method, as error messages name it
 * @param keys the parsed namespace and key expressions
 * @param options the lock options from the annotation (unset values take the configured
 * defaults)
 * @param onFailure {@link OnFailure#THROW} or {@link OnFailure#SKIP}, never
 * {@code DEFAULT}
 * @param returnsOptional whether a skipped call returns {@code Optional.empty()}
 * @author Distributed Lock team
 */
public record LockOperation(String description, LockKeyExpressions keys, LockOptions options, OnFailure onFailure,
		boolean returnsOptional) {

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

	/**
	 * Return what a skipped call returns.
	 * @return {@code Optional.empty()} or {@code null}
	 */
	public @Nullable Object skippedResult() {
		return this.returnsOptional ? Optional.empty() : null;
	}

}
