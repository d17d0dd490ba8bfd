UPDATE {table}
SET owner = NULL, expires_at = now()
WHERE lock_id = :id AND owner IS NOT NULL AND expires_at > now()
