-- After renew-many.sql renewed fewer rows than it was given: the leases that are held by their
-- owner and unexpired now are the ones it renewed (a lease it did not renew was taken over or had
-- expired, and only its owner could have extended it since).
SELECT lock_id, owner FROM {table}
WHERE lock_id IN ({ids}) AND (lock_id, owner) IN ({pairs}) AND expires_at > UTC_TIMESTAMP(6)
