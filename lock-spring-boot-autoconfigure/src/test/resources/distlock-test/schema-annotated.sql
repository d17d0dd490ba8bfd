-- A lock table with a column of the application's own, for the tests of distributed-lock.jdbc.schema.
CREATE TABLE IF NOT EXISTS distributed_lock (
	lock_id UUID NOT NULL PRIMARY KEY,
	lock_namespace CHARACTER VARYING NOT NULL,
	lock_key CHARACTER VARYING NOT NULL,
	owner CHARACTER VARYING(255),
	fencing_token BIGINT NOT NULL,
	acquired_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
	expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
	note CHARACTER VARYING(100)
);
