-- release.sql, announcing the release to the instances that wait for the key. Each waiting
-- instance holds a shared advisory lock on :waitKey (the first 64 bits of the lock id) on its
-- listening connection, so the exclusive attempt here succeeds exactly when nobody waits, and then
-- nothing is sent. Otherwise the lock id goes to the store's channel, delivered when the release
-- commits. The announcement rides in the WHERE clause, after the owner check (CASE fixes the
-- order), so that the statement stays one UPDATE that reports its count. Keep the SET and the
-- owner check in step with release.sql.
UPDATE {table}
SET expires_at = now()
WHERE lock_id = :id
	AND CASE WHEN owner = :owner AND expires_at > now()
		THEN pg_try_advisory_xact_lock(:waitKey)
			OR (SELECT true FROM pg_notify('{channel}', '{sender}:' || CAST(lock_id AS text)))
		ELSE false END
