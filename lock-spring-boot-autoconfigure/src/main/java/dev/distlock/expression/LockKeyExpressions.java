package dev.distlock.expression;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.distlock.core.InvalidLockKeyException;
import dev.distlock.core.LockKey;
import org.jspecify.annotations.Nullable;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.BeanResolver;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.util.ClassUtils;

/**
 * The lock key of one method: its namespace and key expressions, parsed once (when the
 * application starts) and evaluated on every call against the call's arguments.
 * <p>
 * Expressions see the arguments by name ({@code #userId}, from classes compiled with
 * {@code -parameters}) and by position ({@code #p0}, {@code #a0}), the
 * {@link LockExpressionRootObject root object} and beans ({@code @beanName}). A variable
 * that is neither is rejected when parsing, so a typo stops startup instead of locking
 * every call on {@code null}. An expression that is just an argument reference is read
 * straight from the arguments, without SpEL.
 *
 * @author Distributed Lock team
 */
public final class LockKeyExpressions {

	private static final SpelExpressionParser parser = new SpelExpressionParser();

	private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private static final Pattern POSITIONAL = Pattern.compile("[pa](\\d+)");

	private final String namespace;

	private final Method method;

	private final String[] sources;

	private final Expression[] expressions;

	/** Argument index of expressions that only reference an argument, else -1. */
	private final int[] argumentIndexes;

	private final Map<String, Integer> variables;

	private LockKeyExpressions(String namespace, Method method, String[] sources, Expression[] expressions,
			int[] argumentIndexes, Map<String, Integer> variables) {
		this.namespace = namespace;
		this.method = method;
		this.sources = sources;
		this.expressions = expressions;
		this.argumentIndexes = argumentIndexes;
		this.variables = variables;
	}

	/**
	 * Parse the key expressions of a method.
	 * @param namespace the lock namespace
	 * @param expressions the key expressions
	 * @param method the method whose arguments the expressions read
	 * @return the parsed expressions
	 * @throws IllegalArgumentException if an expression does not parse or references a
	 * variable the method does not have; the message names the method and the expression
	 */
	public static LockKeyExpressions parse(String namespace, String[] expressions, Method method) {
		Map<String, Integer> variables = variables(method);
		Expression[] parsed = new Expression[expressions.length];
		int[] argumentIndexes = new int[expressions.length];
		for (int i = 0; i < expressions.length; i++) {
			String source = expressions[i];
			if (source.isBlank()) {
				throw new IllegalArgumentException("keys[" + i + "] of " + describe(method) + " is empty");
			}
			try {
				parsed[i] = parser.parseExpression(source);
			}
			catch (ParseException ex) {
				throw new IllegalArgumentException("keys[" + i + "] '" + source + "' of " + describe(method)
						+ " is not a valid SpEL expression: " + ex.getMessage(), ex);
			}
			checkVariables(parsed[i], source, i, method, variables);
			argumentIndexes[i] = argumentIndex(parsed[i], variables);
		}
		return new LockKeyExpressions(namespace, method, expressions.clone(), parsed, argumentIndexes, variables);
	}

	/**
	 * Evaluate the key for one call.
	 * @param target the object the method is called on
	 * @param targetClass the class of the target
	 * @param args the call's arguments
	 * @param beanResolver resolves {@code @beanName} references, if any
	 * @return the lock key
	 * @throws InvalidLockKeyException if an expression fails or yields {@code null}; the
	 * message names the method and the expression
	 */
	public LockKey evaluate(Object target, Class<?> targetClass, @Nullable Object[] args,
			@Nullable BeanResolver beanResolver) {
		Object[] parts = new Object[this.expressions.length];
		StandardEvaluationContext context = null;
		for (int i = 0; i < this.expressions.length; i++) {
			Object value;
			int index = this.argumentIndexes[i];
			if (index >= 0) {
				value = args[index];
			}
			else {
				if (context == null) {
					context = new ArgumentsEvaluationContext(
							new LockExpressionRootObject(this.method, args, target, targetClass), args, this.variables);
					if (beanResolver != null) {
						context.setBeanResolver(beanResolver);
					}
				}
				try {
					value = this.expressions[i].getValue(context);
				}
				catch (RuntimeException ex) {
					// SpEL passes exceptions of methods it calls through unwrapped (an
					// index out of bounds in #id.substring(9)): whatever fails, the key
					// is invalid and the method does not run.
					Throwable cause = (ex instanceof EvaluationException && ex.getCause() != null) ? ex.getCause() : ex;
					throw new InvalidLockKeyException("keys[" + i + "] '" + this.sources[i] + "' of "
							+ describe(this.method) + " failed: " + cause, ex);
				}
			}
			if (value == null) {
				throw new InvalidLockKeyException("keys[" + i + "] '" + this.sources[i] + "' of "
						+ describe(this.method) + " is null; a lock key part must have a value", null);
			}
			parts[i] = value;
		}
		try {
			return LockKey.of(this.namespace, parts);
		}
		catch (InvalidLockKeyException ex) {
			throw new InvalidLockKeyException(describe(this.method) + " built an invalid lock key from "
					+ describeSources() + ": " + ex.getMessage(), ex);
		}
	}

	private String describeSources() {
		StringBuilder builder = new StringBuilder("keys ");
		for (int i = 0; i < this.sources.length; i++) {
			builder.append((i > 0) ? ", " : "").append("[").append(i).append("] '").append(this.sources[i]).append("'");
		}
		return builder.toString();
	}

	/**
	 * Return the namespace of the keys.
	 * @return the namespace
	 */
	public String namespace() {
		return this.namespace;
	}

	/**
	 * Describe a method the way error messages name it: {@code Type.method(ParamType)}.
	 * @param method the method
	 * @return the description
	 */
	public static String describe(Method method) {
		StringBuilder builder = new StringBuilder(ClassUtils.getUserClass(method.getDeclaringClass()).getName())
			.append('.')
			.append(method.getName())
			.append('(');
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			builder.append((i > 0) ? ", " : "").append(types[i].getSimpleName());
		}
		return builder.append(')').toString();
	}

	private static Map<String, Integer> variables(Method method) {
		Map<String, Integer> variables = new LinkedHashMap<>();
		String[] names = parameterNames.getParameterNames(method);
		for (int i = 0; i < method.getParameterCount(); i++) {
			variables.put("p" + i, i);
			variables.put("a" + i, i);
			// A Kotlin suspend function has one more parameter than it has names: the
			// Continuation the compiler adds.
			if (names != null && i < names.length) {
				variables.put(names[i], i);
			}
		}
		return variables;
	}

	private static void checkVariables(Expression expression, String source, int index, Method method,
			Map<String, Integer> variables) {
		if (!(expression instanceof SpelExpression spel)) {
			return;
		}
		List<String> unknown = new ArrayList<>();
		collectUnknownVariables(spel.getAST(), variables, unknown);
		if (!unknown.isEmpty()) {
			boolean namesKnown = parameterNames.getParameterNames(method) != null;
			throw new IllegalArgumentException("keys[" + index + "] '" + source + "' of " + describe(method)
					+ " references " + String.join(", ", unknown) + ", which is not a parameter. Available: "
					+ String.join(", ", variables.keySet().stream().map((name) -> "#" + name).toList())
					+ (namesKnown ? "" : ". Parameter names are unknown: compile with -parameters to use them, "
							+ "or refer to arguments as #p0, #a0"));
		}
	}

	private static void collectUnknownVariables(SpelNode node, Map<String, Integer> variables, List<String> unknown) {
		if (node instanceof VariableReference) {
			String name = node.toStringAST().substring(1);
			if (!name.equals("root") && !name.equals("this") && !variables.containsKey(name)) {
				unknown.add("#" + name);
			}
		}
		for (int i = 0; i < node.getChildCount(); i++) {
			collectUnknownVariables(node.getChild(i), variables, unknown);
		}
	}

	private static int argumentIndex(Expression expression, Map<String, Integer> variables) {
		if (expression instanceof SpelExpression spel && spel.getAST() instanceof VariableReference reference) {
			Integer index = variables.get(reference.toStringAST().substring(1));
			return (index != null) ? index : -1;
		}
		return -1;
	}

	/**
	 * Resolves argument variables from a lookup table computed once per method, instead
	 * of discovering parameter names on every call.
	 */
	private static final class ArgumentsEvaluationContext extends StandardEvaluationContext {

		private final @Nullable Object[] args;

		private final Map<String, Integer> variables;

		ArgumentsEvaluationContext(Object rootObject, @Nullable Object[] args, Map<String, Integer> variables) {
			super(rootObject);
			this.args = args;
			this.variables = variables;
		}

		@Override
		public @Nullable Object lookupVariable(String name) {
			Integer index = this.variables.get(name);
			return (index != null && index < this.args.length) ? this.args[index] : super.lookupVariable(name);
		}

	}

}
