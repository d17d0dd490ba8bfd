-- The row stays, marked free, so that the next holder's fencing token follows this one.
UPDATE {table}
SET owner = NULL, expires_at = now()
WHERE lock_id = :id AND owner = :owner AND expires_at > now()
