-- Take over the key's row if it is free or expired, else insert it if it does not exist: one
-- statement, one round trip. Neither part locks a row that is held, so waiters polling a held
-- lock do not queue behind each other or behind the holder's release. The fencing token is
-- computed under the row lock from the row's own last token, so it always increases; a new row
-- starts from the clock in microseconds.
WITH taken AS (
	UPDATE {table}
	SET owner = :owner,
		fencing_token = GREATEST(fencing_token + 1, CAST(EXTRACT(EPOCH FROM now()) * 1000000 AS BIGINT)),
		acquired_at = now(),
		expires_at = now() + :leaseMicros * INTERVAL '1 microsecond'
	WHERE lock_id = :id AND (owner IS NULL OR expires_at <= now())
	RETURNING fencing_token
), inserted AS (
	INSERT INTO {table} (lock_id, lock_namespace, lock_key, owner, fencing_token, acquired_at, expires_at)
	SELECT :id, :namespace, :key, :owner, CAST(EXTRACT(EPOCH FROM now()) * 1000000 AS BIGINT), now(),
		now() + :leaseMicros * INTERVAL '1 microsecond'
	WHERE NOT EXISTS (SELECT 1 FROM taken)
	ON CONFLICT (lock_id) DO NOTHING
	RETURNING fencing_token
)
SELECT fencing_token FROM taken
UNION ALL
SELECT fencing_token FROM inserted
