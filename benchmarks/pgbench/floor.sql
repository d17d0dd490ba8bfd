-- The benchmark floor's pair: one upsert, one owner-checked delete.
INSERT INTO pgb_floor (lock_key, owner, expires_at) VALUES ('k' || :client_id, 'owner-0123456789-0123456789-01234567', now() + 30000000 * INTERVAL '1 microsecond') ON CONFLICT (lock_key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at WHERE pgb_floor.expires_at < now();
DELETE FROM pgb_floor WHERE lock_key = 'k' || :client_id AND owner = 'owner-0123456789-0123456789-01234567';
