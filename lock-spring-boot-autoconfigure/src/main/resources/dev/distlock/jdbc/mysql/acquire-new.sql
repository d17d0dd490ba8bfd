-- Insert the row of a key seen for the first time. INSERT IGNORE reports 1 for an insert and 0
-- for an existing row, unlike INSERT ... ON DUPLICATE KEY UPDATE whose counts are ambiguous under
-- the drivers' default "found rows" setting. A new row's token starts from the clock in
-- microseconds and travels back as the insert id.
INSERT IGNORE INTO {table} (lock_id, lock_namespace, lock_key, owner, fencing_token, acquired_at, expires_at)
VALUES (:id, :namespace, :key, :owner,
	LAST_INSERT_ID(TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', UTC_TIMESTAMP(6))),
	UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL :leaseMicros MICROSECOND)
