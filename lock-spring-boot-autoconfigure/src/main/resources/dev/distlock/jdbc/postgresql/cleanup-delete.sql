-- Housekeeping: delete the rows of one page that may still be deleted. The condition is checked
-- again on each row's latest version under its row lock, so a key taken since the page was read
-- stays; a row that another statement holds locked right now is skipped, never waited for.
DELETE FROM {table}
WHERE lock_id IN (
	SELECT lock_id FROM {table}
	WHERE lock_id IN (:ids)
		AND expires_at + :retentionMicros * INTERVAL '1 microsecond' <= now()
		AND fencing_token < CAST(EXTRACT(EPOCH FROM now()) * 1000000 AS BIGINT) - :retentionMicros
	FOR UPDATE SKIP LOCKED
)
