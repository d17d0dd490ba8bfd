-- handover.sql for a holder whose instance has had its turn on the key: if another instance waits
-- for it (a session other than this store's listening one, :listenerPid, holds the key's wait lock,
-- as in release-notify.sql), the lock is released to that instance and the release announced;
-- else it goes to the next holder as in handover.sql. One statement either way; "yielded" says
-- which happened. Keep the hand-over in step with handover.sql and the release with
-- release-notify.sql.
WITH others AS (
	SELECT EXISTS (
		SELECT 1 FROM pg_locks
		WHERE locktype = 'advisory'
			AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND classid = CAST(:waitKeyHigh AS oid) AND objid = CAST(:waitKeyLow AS oid) AND objsubid = 1
			AND granted AND pid <> :listenerPid
	) AS yielded
)
UPDATE {table} t
SET owner = CASE WHEN o.yielded THEN t.owner ELSE :nextOwner END,
	fencing_token = CASE WHEN o.yielded THEN t.fencing_token
		ELSE GREATEST(t.fencing_token + 1, CAST(EXTRACT(EPOCH FROM now()) * 1000000 AS BIGINT)) END,
	acquired_at = CASE WHEN o.yielded THEN t.acquired_at ELSE now() END,
	expires_at = CASE WHEN o.yielded THEN now() ELSE now() + :leaseMicros * INTERVAL '1 microsecond' END
FROM others o
WHERE t.lock_id = :id
	AND CASE WHEN t.owner = :owner AND t.expires_at > now()
		THEN NOT o.yielded
			OR (SELECT true FROM pg_notify('{channel}', '{sender}:' || CAST(t.lock_id AS text)))
		ELSE false END
RETURNING o.yielded, t.fencing_token
