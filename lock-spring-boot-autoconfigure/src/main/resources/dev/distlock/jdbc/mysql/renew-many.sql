-- Extend many leases of one lease time in one statement. {ids} becomes one parameter per lease
-- (its lock id, so that the primary key finds the rows) and {pairs} one (lock id, owner) pair per
-- lease. As in renew.sql, a lease is extended only while its owner holds the row and the lease has
-- not expired. The update count (rows found) says whether every lease was renewed; only when some
-- were not does renewed.sql ask which.
UPDATE {table}
SET expires_at = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND
WHERE lock_id IN ({ids}) AND (lock_id, owner) IN ({pairs}) AND expires_at > UTC_TIMESTAMP(6)
