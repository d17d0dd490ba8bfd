-- Take over the key's row if it is free or expired: one UPDATE, the cheapest statement that can
-- take the lock, for the common case of a key locked before. It does not lock a row that is held,
-- so waiters polling a held lock do not queue behind each other or behind the holder's release.
-- The fencing token is computed under the row lock from the row's own last token, so it always
-- increases. When no row matched, acquire-new.sql inserts the row if the key is new.
UPDATE {table}
SET owner = :owner,
	fencing_token = GREATEST(fencing_token + 1, CAST(EXTRACT(EPOCH FROM now()) * 1000000 AS BIGINT)),
	acquired_at = now(),
	expires_at = now() + :leaseMicros * INTERVAL '1 microsecond'
WHERE lock_id = :id AND (owner IS NULL OR expires_at <= now())
RETURNING fencing_token
