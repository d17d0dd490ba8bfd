-- force-release.sql, announcing the release to the instances that wait for the key: see
-- release-notify.sql. Keep the SET and the holder check in step with force-release.sql.
UPDATE {table}
SET owner = NULL, expires_at = now()
WHERE lock_id = :id
	AND CASE WHEN owner IS NOT NULL AND expires_at > now()
		THEN pg_try_advisory_xact_lock(:waitKey)
			OR (SELECT true FROM pg_notify('{channel}', '{sender}:' || CAST(lock_id AS text)))
		ELSE false END
