package dev.distlock.expression;

import java.lang.reflect.Method;

/**
 * The {@code #root} object of lock key expressions: {@code #root.method},
 * {@code #root.methodName}, {@code #root.args}, {@code #root.target} and
 * {@code #root.targetClass}.
 *
 * @param method the method being called
 * @param args the call's arguments
 * @param target the object the method is called on
 * @param targetClass the class of the target
 * @author Distributed Lock team
 */
public record LockExpressionRootObject(Method method, Object[] args, Object target, Class<?> targetClass) {

	/**
	 * Return the method being called (for {@code #root.method}).
	 * @return the method
	 */
	public Method getMethod() {
		return this.method;
	}

	/**
	 * Return the name of the method being called.
	 * @return the method name
	 */
	public String getMethodName() {
		return this.method.getName();
	}

	/**
	 * Return the call's arguments.
	 * @return the arguments
	 */
	public Object[] getArgs() {
		return this.args;
	}

	/**
	 * Return the object the method is called on.
	 * @return the target
	 */
	public Object getTarget() {
		return this.target;
	}

	/**
	 * Return the class of the target.
	 * @return the target class
	 */
	public Class<?> getTargetClass() {
		return this.targetClass;
	}

}
