UPDATE {table}
SET owner = NULL, expires_at = CURRENT_TIMESTAMP
WHERE lock_id = :id AND owner IS NOT NULL AND expires_at > CURRENT_TIMESTAMP
