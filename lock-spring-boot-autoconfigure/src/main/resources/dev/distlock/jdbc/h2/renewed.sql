-- After renew-many.sql renewed fewer rows than it was given: see mysql/renewed.sql.
SELECT lock_id, owner FROM {table}
WHERE lock_id IN ({ids}) AND (lock_id, owner) IN ({pairs}) AND expires_at > CURRENT_TIMESTAMP
