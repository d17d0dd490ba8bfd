-- Flyway migration of the distributed-lock JDBC store: its lock table, for mysql.
-- A repeatable migration, so that it never takes a version number from the application's own migrations;
-- it creates the table only if it does not exist.
-- One row per lock key. A row whose owner is NULL, or whose expires_at has passed, is free.
-- Times are UTC from the database clock (UTC_TIMESTAMP), independent of time_zone settings.
CREATE TABLE IF NOT EXISTS distributed_lock (
	lock_id CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	lock_namespace VARCHAR(1000) NOT NULL,
	lock_key MEDIUMTEXT NOT NULL,
	owner VARCHAR(255),
	fencing_token BIGINT NOT NULL,
	acquired_at DATETIME(6) NOT NULL,
	expires_at DATETIME(6) NOT NULL
) ENGINE = InnoDB;
