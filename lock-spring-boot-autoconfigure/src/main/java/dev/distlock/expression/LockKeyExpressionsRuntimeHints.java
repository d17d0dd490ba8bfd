package dev.distlock.expression;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} for lock key expressions: SpEL reads
 * {@code #root.method}, {@code #root.args} and the other properties of
 * {@link LockExpressionRootObject} reflectively. The arguments that expressions navigate
 * are covered by {@link dev.distlock.annotation.DistributedLock @DistributedLock} itself,
 * which is {@code @Reflective}.
 *
 * @author Distributed Lock team
 */
public final class LockKeyExpressionsRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * Create the registrar.
	 */
	public LockKeyExpressionsRuntimeHints() {
	}

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection().registerType(LockExpressionRootObject.class, MemberCategory.INVOKE_PUBLIC_METHODS);
	}

}
