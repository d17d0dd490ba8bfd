-- Hand a held lock from its owner to the next holder, a waiter of the same instance: one UPDATE
-- and one commit instead of a release and an acquire. The row goes straight from one owner to the
-- other, so it is never free in between and nothing is announced. The fencing token follows the
-- row's last one, as in acquire.sql; no row matches if :owner no longer holds the lock.
UPDATE {table}
SET owner = :nextOwner,
	fencing_token = GREATEST(fencing_token + 1, CAST(EXTRACT(EPOCH FROM now()) * 1000000 AS BIGINT)),
	acquired_at = now(),
	expires_at = now() + :leaseMicros * INTERVAL '1 microsecond'
WHERE lock_id = :id AND owner = :owner AND expires_at > now()
RETURNING fencing_token
