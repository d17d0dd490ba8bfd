INSERT INTO bench_floor_lock (lock_key, owner, expires_at)
VALUES (?, ?, NOW(6) + INTERVAL ? MICROSECOND)
ON DUPLICATE KEY UPDATE
	owner = IF(expires_at < NOW(6), VALUES(owner), owner),
	expires_at = IF(owner = VALUES(owner), VALUES(expires_at), expires_at)
RETURNING owner
