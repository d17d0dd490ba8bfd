package dev.distlock.annotation;

import java.lang.reflect.Method;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.SimpleReflectiveProcessor;

/**
 * Registers what a {@link DistributedLock @DistributedLock} method needs in a native
 * image: the method itself, which the advice invokes reflectively, and the properties of
 * its parameter types, which key expressions such as {@code #request.tenantId} read
 * reflectively.
 *
 * @author Distributed Lock team
 */
final class DistributedLockReflectiveProcessor extends SimpleReflectiveProcessor {

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	protected void registerMethodHint(ReflectionHints hints, Method method) {
		super.registerMethodHint(hints, method);
		for (Class<?> parameterType : method.getParameterTypes()) {
			if (!parameterType.isPrimitive() && !parameterType.getName().startsWith("java.")) {
				this.bindingRegistrar.registerReflectionHints(hints, parameterType);
			}
		}
	}

	@Override
	protected void registerTypeHint(ReflectionHints hints, Class<?> type) {
		super.registerTypeHint(hints, type);
		for (Method method : type.getMethods()) {
			if (method.getDeclaringClass() != Object.class) {
				registerMethodHint(hints, method);
			}
		}
	}

}
