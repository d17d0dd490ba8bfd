package dev.distlock.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.distlock.annotation.DistributedLock;
import dev.distlock.annotation.OnFailure;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockSettings;
import dev.distlock.expression.LockKeyExpressions;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.ClassUtils;

/**
 * Finds the {@link DistributedLock @DistributedLock} of a method (on the method, else on
 * its class for public methods) and turns it into a {@link LockOperation}, once per
 * method and target class.
 * <p>
 * Building an operation checks everything that can be checked before a call: the key
 * expressions parse and reference real parameters, the durations parse (after resolving
 * {@code ${...}} placeholders), the return type is one the lock can cover, and
 * {@code SKIP} is not used on a method returning a primitive. A problem is an
 * {@link IllegalStateException} whose message names the method.
 *
 * @author Distributed Lock team
 */
public class LockOperationSource {

	private final PropertyResolver propertyResolver;

	private final LockSettings settings;

	private final Map<String, String> namespacesByMatchingName = new ConcurrentHashMap<>();

	private final Map<MethodClassKey, Optional<LockOperation>> cache = new ConcurrentHashMap<>(64);

	/**
	 * Create a source.
	 * @param propertyResolver resolves {@code ${...}} placeholders in durations
	 * @param settings the configured settings, for the failure mode of a namespace
	 */
	public LockOperationSource(PropertyResolver propertyResolver, LockSettings settings) {
		this.propertyResolver = propertyResolver;
		this.settings = settings;
	}

	/**
	 * Return the lock operation of a method called on an instance of the target class.
	 * @param method the method, possibly an interface method
	 * @param targetClass the target class, if known
	 * @return the operation, or {@code null} if the method is not locked
	 * @throws IllegalStateException if the annotation is invalid
	 */
	public @Nullable LockOperation getOperation(Method method, @Nullable Class<?> targetClass) {
		// No proxy calls a static method; a synthetic one (such as the static
		// $suspendImpl that holds the body of an open Kotlin suspend function, and
		// carries its annotations) is not what the caller called.
		if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers())
				|| method.isSynthetic()) {
			return null;
		}
		MethodClassKey cacheKey = new MethodClassKey(method, targetClass);
		Optional<LockOperation> operation = this.cache.get(cacheKey);
		if (operation == null) {
			operation = Optional.ofNullable(buildOperation(method, targetClass));
			this.cache.put(cacheKey, operation);
		}
		return operation.orElse(null);
	}

	/**
	 * Return the annotation that applies to a method: the method's own, else its class's
	 * for a public method.
	 * @param method the most specific method
	 * @param targetClass the target class
	 * @return the annotation, or {@code null}
	 */
	static @Nullable DistributedLock findAnnotation(Method method, Class<?> targetClass) {
		DistributedLock annotation = AnnotatedElementUtils.findMergedAnnotation(method, DistributedLock.class);
		if (annotation == null && Modifier.isPublic(method.getModifiers())
				&& method.getDeclaringClass() != Object.class) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(targetClass, DistributedLock.class);
		}
		return annotation;
	}

	private @Nullable LockOperation buildOperation(Method method, @Nullable Class<?> targetClass) {
		Class<?> userClass = (targetClass != null) ? ClassUtils.getUserClass(targetClass) : method.getDeclaringClass();
		Method specific = AopUtils.getMostSpecificMethod(method, userClass);
		DistributedLock annotation = findAnnotation(specific, userClass);
		if (annotation == null && specific != method) {
			annotation = findAnnotation(method, method.getDeclaringClass());
		}
		if (annotation == null) {
			return null;
		}
		String description = LockKeyExpressions.describe(specific);
		try {
			return buildOperation(annotation, specific, userClass, description);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Invalid @DistributedLock on " + description + ": " + ex.getMessage(), ex);
		}
	}

	private LockOperation buildOperation(DistributedLock annotation, Method method, Class<?> userClass,
			String description) {
		ReturnTypeHandler handler = handler(method);
		String namespace = annotation.namespace().isEmpty() ? userClass.getSimpleName() + "." + method.getName()
				: annotation.namespace();
		checkNamespaceSettings(namespace);
		LockKeyExpressions keys = LockKeyExpressions.parse(namespace, annotation.keys(), method);
		LockOptions.Builder options = LockOptions.builder();
		Duration waitTime = parseDuration("waitTime", annotation.waitTime());
		if (waitTime != null) {
			options.waitTime(waitTime);
		}
		Duration leaseTime = parseDuration("leaseTime", annotation.leaseTime());
		if (leaseTime != null) {
			options.leaseTime(leaseTime);
		}
		Duration lockAtLeastFor = parseDuration("lockAtLeastFor", annotation.lockAtLeastFor());
		if (lockAtLeastFor != null) {
			options.lockAtLeastFor(lockAtLeastFor);
		}
		switch (annotation.autoRenew()) {
			case ON -> options.autoRenew(true);
			case OFF -> options.autoRenew(false);
			case DEFAULT -> {
			}
		}
		LockOptions lockOptions = options.build();
		OnFailure onFailure = this.settings.resolve(namespace, lockOptions, annotation.onFailure()).onFailure();
		Class<?> returnType = method.getReturnType();
		if (onFailure == OnFailure.SKIP && returnType.isPrimitive() && returnType != void.class) {
			throw new IllegalArgumentException("onFailure SKIP needs a return value for a skipped call, but the method "
					+ "returns " + returnType + "; return a wrapper type or Optional, or use onFailure = THROW");
		}
		return new LockOperation(description, keys, lockOptions, onFailure, handler);
	}

	/*
	 * Two namespaces that one namespace setting would both configure are a mistake: the
	 * setting cannot tell them apart.
	 */
	private void checkNamespaceSettings(String namespace) {
		if (this.settings.namespace(namespace) == null) {
			return;
		}
		String matching = LockSettings.matchingName(namespace);
		String previous = this.namespacesByMatchingName.putIfAbsent(matching, namespace);
		if (previous != null && !previous.equals(namespace)) {
			throw new IllegalArgumentException("namespaces '" + previous + "' and '" + namespace
					+ "' are both configured by distributed-lock.namespaces." + this.settings.configuredName(namespace)
					+ " (names are matched ignoring case, '_', '-' and '.'); rename one of them");
		}
	}

	private @Nullable Duration parseDuration(String attribute, String value) {
		if (value.isEmpty()) {
			return null;
		}
		String resolved;
		try {
			resolved = this.propertyResolver.resolveRequiredPlaceholders(value).trim();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					attribute + " '" + value + "' has an unresolvable placeholder: " + ex.getMessage(), ex);
		}
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(resolved);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					attribute + " '" + value + "'" + (resolved.equals(value) ? "" : " (resolved to '" + resolved + "')")
							+ " is not a duration; use a value such as 0, 500ms, 5s or PT5S",
					ex);
		}
		if (duration.isNegative() || (duration.isZero() && attribute.equals("leaseTime"))) {
			throw new IllegalArgumentException(attribute + " '" + value + "' must be "
					+ (attribute.equals("leaseTime") ? "positive" : "zero or positive") + ", but is " + duration);
		}
		return duration;
	}

	private static ReturnTypeHandler handler(Method method) {
		for (ReturnTypeHandler.Candidate candidate : ReturnTypeHandler
			.candidates(method.getDeclaringClass().getClassLoader())) {
			ReturnTypeHandler handler = candidate.handlerFor(method);
			if (handler != null) {
				return handler;
			}
		}
		throw new IllegalStateException("No handler for " + method);
	}

}
