-- Extend many leases in one statement: the renewals travel as three arrays of the same length
-- (lock id, owner token, lease in microseconds), one element per lease, and the statement answers
-- the rows it renewed. As in renew.sql, a lease is extended only while its owner holds the row
-- and the lease has not expired.
UPDATE {table} AS t
SET expires_at = now() + r.lease_micros * INTERVAL '1 microsecond'
FROM unnest(CAST(? AS uuid[]), CAST(? AS text[]), CAST(? AS bigint[])) AS r (lock_id, owner, lease_micros)
WHERE t.lock_id = r.lock_id AND t.owner = r.owner AND t.expires_at > now()
RETURNING t.lock_id, t.owner
