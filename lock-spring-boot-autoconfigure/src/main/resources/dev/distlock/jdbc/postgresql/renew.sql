UPDATE {table}
SET expires_at = now() + :leaseMicros * INTERVAL '1 microsecond'
WHERE lock_id = :id AND owner = :owner AND expires_at > now()
