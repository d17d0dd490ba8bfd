-- Take over the key's row if it is free or expired. The new fencing token travels back in the
-- OK packet's insert id (LAST_INSERT_ID(expr)), so no SELECT is needed; the update count (1 or 0)
-- says whether the lock was taken. The token is computed from the row's own last token, so it
-- always increases. When no row matched, acquire-new.sql inserts the row if the key is new.
UPDATE {table}
SET owner = :owner,
	fencing_token = LAST_INSERT_ID(GREATEST(fencing_token + 1,
		TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', UTC_TIMESTAMP(6)))),
	acquired_at = UTC_TIMESTAMP(6),
	expires_at = UTC_TIMESTAMP(6) + INTERVAL :leaseMicros MICROSECOND
WHERE lock_id = :id AND (owner IS NULL OR expires_at <= UTC_TIMESTAMP(6))
