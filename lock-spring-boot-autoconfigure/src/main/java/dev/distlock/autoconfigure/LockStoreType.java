package dev.distlock.autoconfigure;

/**
 * The lock stores {@code distributed-lock.store} chooses from.
 *
 * @author Distributed Lock team
 */
public enum LockStoreType {

	/**
	 * Redis if a {@code RedisConnectionFactory} bean exists, else JDBC if a
	 * {@code DataSource} bean exists, else in-memory (with a warning that locks are local
	 * to this JVM).
	 */
	AUTO,

	/**
	 * The application's Redis, through its {@code RedisConnectionFactory}.
	 */
	REDIS,

	/**
	 * The application's database, through its {@code DataSource}.
	 */
	JDBC,

	/**
	 * This JVM's memory: locks do not coordinate separate instances.
	 */
	IN_MEMORY

}
