package dev.distlock.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when {@code distributed-lock.store} selects the given store: explicitly, or by
 * {@code auto} finding the store's connection bean (a {@code RedisConnectionFactory} for
 * Redis; a {@code DataSource} and no {@code RedisConnectionFactory} for JDBC).
 *
 * @author Distributed Lock team
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnLockStoreCondition.class)
public @interface ConditionalOnLockStore {

	/**
	 * The store that must be selected.
	 * @return the store
	 */
	LockStoreType value();

}
