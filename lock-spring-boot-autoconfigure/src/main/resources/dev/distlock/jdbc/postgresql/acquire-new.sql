-- Insert the row of a key seen for the first time (or deleted by housekeeping); a row that exists
-- is left alone and nothing is returned. A new row's token starts from the clock in microseconds,
-- which is greater than any token of a row that housekeeping deleted.
INSERT INTO {table} (lock_id, lock_namespace, lock_key, owner, fencing_token, acquired_at, expires_at)
VALUES (:id, :namespace, :key, :owner, CAST(EXTRACT(EPOCH FROM now()) * 1000000 AS BIGINT), now(),
	now() + :leaseMicros * INTERVAL '1 microsecond')
ON CONFLICT (lock_id) DO NOTHING
RETURNING fencing_token
