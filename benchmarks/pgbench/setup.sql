-- Tables of the pgbench comparison (benchmarks/README.md, "the server's share"). Run after the
-- store's own DDL was created as pgb_lock (the README's command pipes schema-postgresql.sql through
-- sed, so the shape stays the shipped one): one row per client in it, and the floor's table, both
-- emptied or created again each time.
TRUNCATE pgb_lock;
INSERT INTO pgb_lock SELECT md5(n::text)::uuid, 'ns', 'k' || n, NULL, 1, now(), now() FROM generate_series(1, 64) n;
DROP TABLE IF EXISTS pgb_floor;
CREATE TABLE pgb_floor (
	lock_key VARCHAR(255) NOT NULL PRIMARY KEY,
	owner VARCHAR(36) NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
