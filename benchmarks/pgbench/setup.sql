-- Tables of the pgbench comparison (benchmarks/README.md, "the server's share"): the store's own
-- table shape with 64 rows, one per client, and the floor's. Dropped and created again each time.
DROP TABLE IF EXISTS pgb_lock;
DROP TABLE IF EXISTS pgb_floor;
CREATE TABLE pgb_lock (
	lock_id UUID NOT NULL PRIMARY KEY,
	lock_namespace TEXT NOT NULL,
	lock_key TEXT NOT NULL,
	owner VARCHAR(255),
	fencing_token BIGINT NOT NULL,
	acquired_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
	expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
INSERT INTO pgb_lock SELECT md5(n::text)::uuid, 'ns', 'k' || n, NULL, 1, now(), now() FROM generate_series(1, 64) n;
CREATE TABLE pgb_floor (
	lock_key VARCHAR(255) NOT NULL PRIMARY KEY,
	owner VARCHAR(36) NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
