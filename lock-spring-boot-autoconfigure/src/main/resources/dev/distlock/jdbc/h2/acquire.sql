-- Take over the key's row if it is free or expired, else insert it: one statement that returns
-- the new fencing token. The token is computed from the row's own last token, so it always
-- increases; a new row starts from the clock in microseconds.
SELECT fencing_token FROM FINAL TABLE (
	MERGE INTO {table} t
	USING (VALUES (CAST(:id AS UUID))) s (lock_id) ON t.lock_id = s.lock_id
	WHEN MATCHED AND (t.owner IS NULL OR t.expires_at <= CURRENT_TIMESTAMP) THEN UPDATE SET
		owner = :owner,
		fencing_token = GREATEST(t.fencing_token + 1, CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000000 AS BIGINT)),
		acquired_at = CURRENT_TIMESTAMP,
		expires_at = DATEADD(MICROSECOND, :leaseMicros, CURRENT_TIMESTAMP)
	WHEN NOT MATCHED THEN INSERT (lock_id, lock_namespace, lock_key, owner, fencing_token, acquired_at, expires_at)
		VALUES (s.lock_id, :namespace, :key, :owner, CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000000 AS BIGINT),
			CURRENT_TIMESTAMP, DATEADD(MICROSECOND, :leaseMicros, CURRENT_TIMESTAMP))
)
