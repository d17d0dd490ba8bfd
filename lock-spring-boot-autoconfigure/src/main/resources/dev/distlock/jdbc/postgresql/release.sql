-- The row stays, marked free by its lease ending now, so that the next holder's fencing token
-- follows this one. Only the expiry changes (the owner stays until the next holder replaces it):
-- a fixed-size column updated in place, the least work for the database.
UPDATE {table}
SET expires_at = now()
WHERE lock_id = :id AND owner = :owner AND expires_at > now()
