-- Housekeeping: one page of the lock table in key order, after the last key of the previous
-- page, each row with whether it may be deleted: free (released or expired) for longer than the
-- retention, and its last fencing token older than the retention by the database clock, so that
-- a new row of the key (which starts from the clock in microseconds) gets a greater token. A plain
-- read: it locks nothing.
SELECT lock_id,
	expires_at + :retentionMicros * INTERVAL '1 microsecond' <= now()
		AND fencing_token < CAST(EXTRACT(EPOCH FROM now()) * 1000000 AS BIGINT) - :retentionMicros
FROM {table}
WHERE lock_id > :after
ORDER BY lock_id
LIMIT :limit
