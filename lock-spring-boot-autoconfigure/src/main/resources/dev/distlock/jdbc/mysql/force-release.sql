UPDATE {table}
SET owner = NULL, expires_at = UTC_TIMESTAMP(6)
WHERE lock_id = :id AND owner IS NOT NULL AND expires_at > UTC_TIMESTAMP(6)
