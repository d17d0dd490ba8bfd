UPDATE {table}
SET expires_at = UTC_TIMESTAMP(6) + INTERVAL :leaseMicros MICROSECOND
WHERE lock_id = :id AND owner = :owner AND expires_at > UTC_TIMESTAMP(6)
