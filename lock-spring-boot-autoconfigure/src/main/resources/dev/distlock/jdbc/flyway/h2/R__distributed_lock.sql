-- Flyway migration of the distributed-lock JDBC store: its lock table, for h2.
-- A repeatable migration, so that it never takes a version number from the application's own migrations;
-- it creates the table only if it does not exist.
-- One row per lock key. A row whose owner is NULL, or whose expires_at has passed, is free.
-- All times come from the database clock.
CREATE TABLE IF NOT EXISTS distributed_lock (
	lock_id UUID NOT NULL PRIMARY KEY,
	lock_namespace CHARACTER VARYING NOT NULL,
	lock_key CHARACTER VARYING NOT NULL,
	owner CHARACTER VARYING(255),
	fencing_token BIGINT NOT NULL,
	acquired_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
	expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
