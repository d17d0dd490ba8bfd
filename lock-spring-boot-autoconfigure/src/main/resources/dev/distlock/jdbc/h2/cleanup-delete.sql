-- Housekeeping: delete the rows of one page that may still be deleted, found by primary key. The
-- condition is checked again on each row under its row lock, so a key taken since the page was
-- read stays.
DELETE FROM {table}
WHERE lock_id IN (:ids)
	AND DATEADD(MICROSECOND, :retentionMicros, expires_at) <= CURRENT_TIMESTAMP
	AND fencing_token < CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000000 AS BIGINT) - :retentionMicros
