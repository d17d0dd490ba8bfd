package dev.distlock.jdbc;

import java.lang.reflect.Field;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;

import org.springframework.util.ReflectionUtils;

/**
 * Takes a millisecond out of every notification that the listening connection receives.
 * <p>
 * Having read a notification, pgjdbc's {@code getNotifications(timeout)} looks for more
 * before it returns: {@code PGStream.hasMessagePending()} sets the socket timeout to 1 ms
 * and reads. When nothing else has come, that read waits for its full timeout, so every
 * batch of notifications reaches the caller 1 ms or more after it arrived (measured here:
 * a {@code NOTIFY} reached the listening thread 1.5 ms after it was sent, 0.25 ms with
 * this). The method skips that read while its field {@code nextStreamAvailableCheckTime}
 * lies in the future, which pgjdbc itself sets only when the read hit the end of the
 * stream. Setting it on the listening connection makes the look-ahead return at once when
 * nothing is buffered; the listener's next {@code getNotifications} call waits on the
 * socket as before, so no notification is missed, only returned sooner.
 * <p>
 * The field is private to the driver. If it is not there (another pgjdbc version) or not
 * accessible (the driver on the module path, unopened), nothing changes: notifications
 * come a millisecond later, and one DEBUG line says why. The original value is put back
 * before the connection returns to its pool, so no other user of the pool sees the
 * change.
 *
 * @author Distributed Lock team
 */
final class PgjdbcNotificationLatency {

	private static final Log logger = LogFactory.getLog(JdbcLockStore.class);

	static final String EXECUTOR_CLASS = "org.postgresql.core.QueryExecutorBase";

	static final String STREAM_FIELD = "pgStream";

	static final String STREAM_CLASS = "org.postgresql.core.PGStream";

	static final String CHECK_TIME_FIELD = "nextStreamAvailableCheckTime";

	private static volatile boolean reported;

	private final Object stream;

	private final Field checkTime;

	private final long original;

	private PgjdbcNotificationLatency(Object stream, Field checkTime, long original) {
		this.stream = stream;
		this.checkTime = checkTime;
		this.original = original;
	}

	/**
	 * Skip the look-ahead on one connection.
	 * @param connection the listening connection, unwrapped
	 * @return how to put it back, or {@code null} if it could not be changed
	 */
	static @Nullable PgjdbcNotificationLatency shorten(PGConnection connection) {
		try {
			if (!(connection instanceof BaseConnection base)) {
				return unchanged("the connection is a " + connection.getClass().getName(), null);
			}
			Object executor = base.getQueryExecutor();
			Field streamField = ReflectionUtils.findField(executor.getClass(), STREAM_FIELD);
			if (streamField == null) {
				return unchanged("its query executor has no field '" + STREAM_FIELD + "'", null);
			}
			ReflectionUtils.makeAccessible(streamField);
			Object stream = streamField.get(executor);
			if (stream == null) {
				return unchanged("its query executor has no stream", null);
			}
			Field checkTime = ReflectionUtils.findField(stream.getClass(), CHECK_TIME_FIELD, long.class);
			if (checkTime == null) {
				return unchanged("its stream has no field '" + CHECK_TIME_FIELD + "'", null);
			}
			ReflectionUtils.makeAccessible(checkTime);
			long original = checkTime.getLong(stream);
			checkTime.setLong(stream, Long.MAX_VALUE);
			return new PgjdbcNotificationLatency(stream, checkTime, original);
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			return unchanged(ex.toString(), ex);
		}
	}

	/**
	 * Put the connection back as it was.
	 */
	void restore() {
		try {
			this.checkTime.setLong(this.stream, this.original);
		}
		catch (IllegalAccessException | RuntimeException ex) {
			logger.debug("Could not reset pgjdbc's notification look-ahead on the listening connection", ex);
		}
	}

	private static @Nullable PgjdbcNotificationLatency unchanged(String reason, @Nullable Throwable ex) {
		if (!reported) {
			reported = true;
			logger.debug("Notifications of releases reach this instance about 1 ms later than they could: "
					+ "pgjdbc's look-ahead after each notification could not be skipped (" + reason + ")", ex);
		}
		return null;
	}

}
