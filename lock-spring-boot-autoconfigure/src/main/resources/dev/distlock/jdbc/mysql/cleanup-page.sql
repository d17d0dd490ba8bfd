-- Housekeeping: one page of the lock table in key order, after the last key of the previous
-- page, each row with whether it may be deleted: free (released or expired) for longer than the
-- retention, and its last fencing token older than the retention by the database clock, so that
-- a new row of the key (which starts from the clock in microseconds) gets a greater token. A
-- consistent read: it locks nothing.
SELECT lock_id,
	expires_at + INTERVAL :retentionMicros MICROSECOND <= UTC_TIMESTAMP(6)
		AND fencing_token < TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) - :retentionMicros
FROM {table}
WHERE lock_id > :after
ORDER BY lock_id
LIMIT :limit
