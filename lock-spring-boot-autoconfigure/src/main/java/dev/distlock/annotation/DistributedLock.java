package dev.distlock.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.core.annotation.AliasFor;

/**
 * Runs the annotated method under a distributed lock: across every instance of the
 * application that shares the lock store, the method runs for one key at a time.
 * <p>
 * On a type, the annotation applies to every public method of it; an annotation on a
 * method takes precedence over one on its type.
 * <p>
 * The lock is acquired before the method runs (and before any transaction that an inner
 * {@code @Transactional} advice begins) and released after it returns or throws. The
 * method's own exception propagates unchanged. Every expression and duration is parsed
 * when the application starts, so a mistake stops startup with a message that names the
 * method.
 *
 * <pre class="code">
 * &#064;DistributedLock(namespace = "token_refresh", keys = "#userId")
 * public Token refresh(long userId) { ... }
 * </pre>
 *
 * The annotation is {@link Reflective @Reflective}: ahead-of-time processing registers
 * the reflection a native image needs to invoke an annotated method and to evaluate key
 * expressions over the properties of its parameters.
 *
 * @author Distributed Lock team
 * @see dev.distlock.core.LockTemplate
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
@Reflective(DistributedLockReflectiveProcessor.class)
public @interface DistributedLock {

	/**
	 * Alias for {@link #namespace()}.
	 * @return the lock family
	 */
	@AliasFor("namespace")
	String value() default "";

	/**
	 * The lock family, for example {@code token_refresh}. Defaults to
	 * {@code SimpleClassName.methodName}. Per-namespace settings
	 * ({@code distributed-lock.namespaces.<name>.*}) refer to this name.
	 * @return the lock family
	 */
	@AliasFor("value")
	String namespace() default "";

	/**
	 * SpEL expressions over the method's arguments; each value is one part of the key.
	 * The evaluation context offers the arguments by name ({@code #userId}, which needs
	 * classes compiled with {@code -parameters}) and by position ({@code #p0},
	 * {@code #a0}), {@code #root.method}, {@code #root.args}, {@code #root.target},
	 * {@code #root.targetClass} and beans as {@code @beanName}. A value that is
	 * {@code null} fails the call with an
	 * {@link dev.distlock.core.InvalidLockKeyException}. Without keys, one lock covers
	 * every call of the method.
	 * @return the key expressions
	 */
	String[] keys() default {};

	/**
	 * How long to wait for a lock that another holder has: {@code 0} fails at once,
	 * otherwise a duration such as {@code 500ms}, {@code 5s}, {@code PT5S} or a
	 * {@code ${placeholder}}. Empty means the configured default
	 * ({@code distributed-lock.wait-time}).
	 * @return the wait time
	 */
	String waitTime() default "";

	/**
	 * How long the store keeps the lock if its holder vanishes without releasing it.
	 * Empty means the configured default ({@code distributed-lock.lease-time}).
	 * @return the lease time
	 */
	String leaseTime() default "";

	/**
	 * Whether the lease is extended while the method runs.
	 * @return the renewal mode
	 */
	AutoRenew autoRenew() default AutoRenew.DEFAULT;

	/**
	 * What happens when the lock is not acquired within the wait time.
	 * @return the failure mode
	 */
	OnFailure onFailure() default OnFailure.DEFAULT;

	/**
	 * Keep the lock for at least this long after the method started, even if it finished
	 * sooner, so that other instances skip work that was just done. Empty or {@code 0}
	 * releases the lock as soon as the method ends.
	 * @return the minimum hold time
	 */
	String lockAtLeastFor() default "";

}
