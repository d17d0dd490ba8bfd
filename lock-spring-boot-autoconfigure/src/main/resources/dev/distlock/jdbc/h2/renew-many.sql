-- Extend many leases of one lease time in one statement: see mysql/renew-many.sql.
UPDATE {table}
SET expires_at = DATEADD(MICROSECOND, ?, CURRENT_TIMESTAMP)
WHERE lock_id IN ({ids}) AND (lock_id, owner) IN ({pairs}) AND expires_at > CURRENT_TIMESTAMP
