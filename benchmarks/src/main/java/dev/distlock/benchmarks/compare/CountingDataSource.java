package dev.distlock.benchmarks.compare;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A {@link DataSource} that counts the round trips its users make: each statement
 * executed ({@code execute*}, {@code executeBatch}: a batch is one round trip) and each
 * explicit {@code commit} or {@code rollback}. What the pool does on its own (validating
 * a connection) is not counted. Used where the server cannot count for us:
 * {@code pg_stat_statements} needs to be preloaded by the server's configuration.
 *
 * @author Distributed Lock team
 */
final class CountingDataSource extends DelegatingDataSource implements RoundTripCounter {

	private final AtomicLong roundTrips = new AtomicLong();

	CountingDataSource(DataSource target) {
		super(target);
	}

	@Override
	public Connection getConnection() throws SQLException {
		return connection(super.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return connection(super.getConnection(username, password));
	}

	private Connection connection(Connection target) {
		return proxy(Connection.class, target, (method) -> {
			String name = method.getName();
			return name.equals("commit") || name.equals("rollback");
		});
	}

	@SuppressWarnings("unchecked")
	private <T> T proxy(Class<T> type, T target, Counted counted) {
		InvocationHandler handler = (proxy, method, args) -> {
			if (counted.isRoundTrip(method)) {
				this.roundTrips.incrementAndGet();
			}
			Object result;
			try {
				result = method.invoke(target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
			return wrap(result);
		};
		return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, handler);
	}

	private @Nullable Object wrap(@Nullable Object result) {
		Counted statement = (method) -> method.getName().startsWith("execute");
		if (result instanceof CallableStatement callable) {
			return proxy(CallableStatement.class, callable, statement);
		}
		if (result instanceof PreparedStatement prepared) {
			return proxy(PreparedStatement.class, prepared, statement);
		}
		if (result instanceof Statement plain) {
			return proxy(Statement.class, plain, statement);
		}
		return result;
	}

	@Override
	public Counts read() {
		long count = this.roundTrips.get();
		return new Counts(count, count);
	}

	@Override
	public String source() {
		return "statements and commits sent through the store's DataSource, counted in the client";
	}

	@FunctionalInterface
	private interface Counted {

		boolean isRoundTrip(Method method);

	}

}
