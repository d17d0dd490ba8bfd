UPDATE {table}
SET expires_at = DATEADD(MICROSECOND, :leaseMicros, CURRENT_TIMESTAMP)
WHERE lock_id = :id AND owner = :owner AND expires_at > CURRENT_TIMESTAMP
