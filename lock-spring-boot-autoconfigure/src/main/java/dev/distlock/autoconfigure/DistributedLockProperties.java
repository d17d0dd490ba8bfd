package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.distlock.annotation.OnFailure;
import dev.distlock.core.LeaseLostPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;

/**
 * Configuration properties for distributed locks.
 *
 * @author Distributed Lock team
 */
@ConfigurationProperties("distributed-lock")
public class DistributedLockProperties {

	/**
	 * Whether to enable distributed locks. When disabled, no lock beans are created and
	 * {@code @DistributedLock} methods are not advised.
	 */
	private boolean enabled = true;

	/**
	 * Lock store. 'auto' uses Redis if a RedisConnectionFactory bean exists, else JDBC if
	 * a DataSource bean exists, else memory local to this JVM.
	 */
	private LockStoreType store = LockStoreType.AUTO;

	/**
	 * How long to wait for a lock held by another owner. Zero fails at once.
	 */
	private Duration waitTime = Duration.ZERO;

	/**
	 * How long the store keeps a lock whose holder vanished without releasing it.
	 */
	private Duration leaseTime = Duration.ofSeconds(30);

	/**
	 * Whether to extend the lease of a lock while its holder runs, at about a third of
	 * the lease time.
	 */
	private boolean autoRenew = true;

	/**
	 * What a @DistributedLock method does when the lock is not acquired: 'throw'
	 * LockNotAcquiredException or 'skip' the method.
	 */
	private OnFailure onFailure = OnFailure.THROW;

	/**
	 * What the caller of a locked method sees when its lease was lost while the method
	 * ran: 'log' a warning, or 'throw' LockLostException after the method returned.
	 */
	private LeaseLostPolicy onLeaseLost = LeaseLostPolicy.LOG;

	/**
	 * Whether a section that holds a lock may enter another section locked on the same
	 * key (in the same thread, Reactor context or coroutine) without a store round trip.
	 */
	private boolean reentrant = true;

	/**
	 * Per-namespace settings, keyed by namespace. Names are matched ignoring case and the
	 * characters '_', '-' and '.', so 'token-refresh' and the environment variable
	 * DISTRIBUTEDLOCK_NAMESPACES_TOKENREFRESH_WAITTIME both configure namespace
	 * 'token_refresh'.
	 */
	private Map<String, Namespace> namespaces = new LinkedHashMap<>();

	private final Shutdown shutdown = new Shutdown();

	private final Aop aop = new Aop();

	private final Redis redis = new Redis();

	private final Jdbc jdbc = new Jdbc();

	private final Metrics metrics = new Metrics();

	private final Observations observations = new Observations();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public LockStoreType getStore() {
		return this.store;
	}

	public void setStore(LockStoreType store) {
		this.store = store;
	}

	public Duration getWaitTime() {
		return this.waitTime;
	}

	public void setWaitTime(Duration waitTime) {
		this.waitTime = waitTime;
	}

	public Duration getLeaseTime() {
		return this.leaseTime;
	}

	public void setLeaseTime(Duration leaseTime) {
		this.leaseTime = leaseTime;
	}

	public boolean isAutoRenew() {
		return this.autoRenew;
	}

	public void setAutoRenew(boolean autoRenew) {
		this.autoRenew = autoRenew;
	}

	public OnFailure getOnFailure() {
		return this.onFailure;
	}

	public void setOnFailure(OnFailure onFailure) {
		this.onFailure = onFailure;
	}

	public LeaseLostPolicy getOnLeaseLost() {
		return this.onLeaseLost;
	}

	public void setOnLeaseLost(LeaseLostPolicy onLeaseLost) {
		this.onLeaseLost = onLeaseLost;
	}

	public boolean isReentrant() {
		return this.reentrant;
	}

	public void setReentrant(boolean reentrant) {
		this.reentrant = reentrant;
	}

	public Map<String, Namespace> getNamespaces() {
		return this.namespaces;
	}

	public void setNamespaces(Map<String, Namespace> namespaces) {
		this.namespaces = namespaces;
	}

	public Aop getAop() {
		return this.aop;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Observations getObservations() {
		return this.observations;
	}

	/**
	 * Settings of one namespace; unset values fall back to the global ones.
	 */
	public static class Namespace {

		/**
		 * How long to wait for a lock of this namespace held by another owner.
		 */
		private @Nullable Duration waitTime;

		/**
		 * How long the store keeps a lock of this namespace whose holder vanished.
		 */
		private @Nullable Duration leaseTime;

		/**
		 * Whether to extend the lease of this namespace's locks while their holder runs.
		 */
		private @Nullable Boolean autoRenew;

		/**
		 * What a @DistributedLock method of this namespace does when the lock is not
		 * acquired: 'throw' or 'skip'.
		 */
		private @Nullable OnFailure onFailure;

		/**
		 * Whether a released lock of this namespace goes to its waiters in the order they
		 * arrived, across instances (Redis), instead of to whoever asks first.
		 */
		private @Nullable Boolean fair;

		public @Nullable Duration getWaitTime() {
			return this.waitTime;
		}

		public void setWaitTime(@Nullable Duration waitTime) {
			this.waitTime = waitTime;
		}

		public @Nullable Duration getLeaseTime() {
			return this.leaseTime;
		}

		public void setLeaseTime(@Nullable Duration leaseTime) {
			this.leaseTime = leaseTime;
		}

		public @Nullable Boolean getAutoRenew() {
			return this.autoRenew;
		}

		public void setAutoRenew(@Nullable Boolean autoRenew) {
			this.autoRenew = autoRenew;
		}

		public @Nullable OnFailure getOnFailure() {
			return this.onFailure;
		}

		public void setOnFailure(@Nullable OnFailure onFailure) {
			this.onFailure = onFailure;
		}

		public @Nullable Boolean getFair() {
			return this.fair;
		}

		public void setFair(@Nullable Boolean fair) {
			this.fair = fair;
		}

	}

	/**
	 * Settings of the graceful shutdown of locks.
	 */
	public static class Shutdown {

		/**
		 * How long closing the application waits for running locked work to finish, while
		 * its leases keep being renewed. Leases still held after it are left to expire.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Settings of the {@code @DistributedLock} advice.
	 */
	public static class Aop {

		/**
		 * Order of the lock advice among other advisors. The default runs it outside
		 * transaction and cache advice (both at lowest precedence), so a lock is taken
		 * before a transaction begins and released after it commits.
		 */
		private int order = Ordered.LOWEST_PRECEDENCE - 100;

		public int getOrder() {
			return this.order;
		}

		public void setOrder(int order) {
			this.order = order;
		}

	}

	/**
	 * Settings of the Redis lock store.
	 */
	public static class Redis {

		/**
		 * Prefix of the Redis keys of locks, followed by the namespace and the key parts.
		 */
		private String keyPrefix = "lock:";

		/**
		 * The longest one lock command may take before it fails with LockStoreException.
		 * Never longer than the caller's remaining wait.
		 */
		private Duration timeout = Duration.ofSeconds(5);

		/**
		 * The longest a waiter sleeps between two attempts when no release wakes it (a
		 * lost message, a server that refuses pub/sub).
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

	}

	/**
	 * Settings of the JDBC lock store.
	 */
	public static class Jdbc {

		/**
		 * Name of the lock table, optionally qualified by a schema.
		 */
		private String tableName = "distributed_lock";

		/**
		 * When to create the lock table if it does not exist: 'embedded' (only for an
		 * embedded database such as H2), 'always' or 'never'.
		 */
		private InitializeSchema initializeSchema = InitializeSchema.EMBEDDED;

		/**
		 * Location of the SQL script that creates the lock table. '@@platform@@' stands
		 * for the platform: the configured one, else the one detected from the database.
		 */
		private String schema = "classpath:dev/distlock/jdbc/schema-@@platform@@.sql";

		/**
		 * Platform to use in the schema script's location in place of '@@platform@@'
		 * ('postgresql', 'mysql' or 'h2' for the shipped scripts). Detected from the
		 * database when not set.
		 */
		private @Nullable String platform;

		/**
		 * The longest one lock statement may take, network included, before it fails with
		 * LockStoreException. Never longer than the caller's remaining wait.
		 */
		private Duration timeout = Duration.ofSeconds(5);

		private final Cleanup cleanup = new Cleanup();

		public Cleanup getCleanup() {
			return this.cleanup;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public String getTableName() {
			return this.tableName;
		}

		public void setTableName(String tableName) {
			this.tableName = tableName;
		}

		public InitializeSchema getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(InitializeSchema initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public String getSchema() {
			return this.schema;
		}

		public void setSchema(String schema) {
			this.schema = schema;
		}

		public @Nullable String getPlatform() {
			return this.platform;
		}

		public void setPlatform(@Nullable String platform) {
			this.platform = platform;
		}

	}

	/**
	 * Housekeeping of the JDBC lock table.
	 */
	public static class Cleanup {

		/**
		 * Whether to delete, from time to time, the rows of keys that have been free for
		 * longer than the retention, one instance at a time.
		 */
		private boolean enabled = true;

		/**
		 * How long a key must have been free (released or expired) before its row is
		 * deleted. Must be longer than the JDBC timeout.
		 */
		private Duration retention = Duration.ofDays(1);

		/**
		 * Time between two clean-up runs.
		 */
		private Duration interval = Duration.ofHours(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

	/**
	 * When the JDBC lock table is created.
	 */
	public enum InitializeSchema {

		/**
		 * Only for an embedded database.
		 */
		EMBEDDED,

		/**
		 * Always, if it does not exist.
		 */
		ALWAYS,

		/**
		 * Never: the application's own migrations create it.
		 */
		NEVER

	}

	/**
	 * Settings of lock metrics.
	 */
	public static class Metrics {

		/**
		 * Whether to record lock metrics when Micrometer is present.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Settings of lock observations.
	 */
	public static class Observations {

		/**
		 * Whether to report lock acquisitions and holds as Micrometer observations (spans
		 * when tracing is configured) when an ObservationRegistry bean exists.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
