INSERT INTO bench_floor_lock (lock_key, owner, expires_at)
VALUES (?, ?, now() + ? * INTERVAL '1 microsecond')
ON CONFLICT (lock_key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
WHERE bench_floor_lock.expires_at < now()
