package dev.distlock.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.distlock.annotation.DistributedLock;
import dev.distlock.expression.LockKeyExpressions;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Checks every bean's {@link DistributedLock @DistributedLock} methods when the bean is
 * created, so a mistake stops startup with a message naming the method instead of failing
 * (or silently running unlocked) at the first call: expressions, durations and return
 * types through the {@link LockOperationSource}, and methods a proxy cannot intercept
 * (private, static or final methods, final classes).
 *
 * @author Distributed Lock team
 */
public class DistributedLockMethodValidator implements BeanPostProcessor {

	private final LockOperationSource operationSource;

	private final Set<Class<?>> checked = ConcurrentHashMap.newKeySet();

	/**
	 * Create a validator.
	 * @param operationSource the source whose operations are built eagerly
	 */
	public DistributedLockMethodValidator(LockOperationSource operationSource) {
		this.operationSource = operationSource;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
		Class<?> userClass = ClassUtils.getUserClass(bean);
		if (!AnnotationUtils.isCandidateClass(userClass, DistributedLock.class) || !this.checked.add(userClass)) {
			return bean;
		}
		List<String> problems = new ArrayList<>();
		boolean classAnnotated = AnnotatedElementUtils.hasAnnotation(userClass, DistributedLock.class);
		boolean anyLocked = classAnnotated;
		for (Method method : ReflectionUtils.getUniqueDeclaredMethods(userClass,
				ReflectionUtils.USER_DECLARED_METHODS)) {
			if (method.getName().endsWith("$suspendImpl")) {
				// Kotlin moves the body of an open suspend function here and copies its
				// annotations: the open function itself is what the proxy locks.
				continue;
			}
			boolean methodAnnotated = AnnotatedElementUtils.hasAnnotation(method, DistributedLock.class);
			if (!methodAnnotated && !(classAnnotated && Modifier.isPublic(method.getModifiers()))) {
				continue;
			}
			anyLocked = true;
			int modifiers = method.getModifiers();
			if (Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers) || Modifier.isFinal(modifiers)) {
				if (methodAnnotated) {
					problems.add(LockKeyExpressions.describe(method) + " is "
							+ (Modifier.isStatic(modifiers) ? "static"
									: Modifier.isPrivate(modifiers) ? "private" : "final")
							+ ", so a proxy cannot intercept it and it would run without the lock");
				}
				continue;
			}
			try {
				this.operationSource.getOperation(method, userClass);
			}
			catch (IllegalStateException ex) {
				problems.add(ex.getMessage());
			}
		}
		if (anyLocked && Modifier.isFinal(userClass.getModifiers()) && userClass.getInterfaces().length == 0) {
			problems.add(userClass.getName() + " is final, so no proxy can lock its methods (Kotlin classes are final "
					+ "unless the kotlin-spring plugin opens them)");
		}
		if (!problems.isEmpty()) {
			throw new BeanInitializationException("Invalid @DistributedLock on bean '" + beanName + "' ("
					+ userClass.getName() + "):\n - " + String.join("\n - ", problems));
		}
		return bean;
	}

}
