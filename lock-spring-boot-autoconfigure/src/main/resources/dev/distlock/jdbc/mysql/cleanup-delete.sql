-- Housekeeping: delete the rows of one page that may still be deleted, found by primary key so
-- that only those rows are locked (no range or gap of the table). The condition is checked again
-- on each row's latest version, so a key taken since the page was read stays.
DELETE FROM {table}
WHERE lock_id IN (:ids)
	AND expires_at + INTERVAL :retentionMicros MICROSECOND <= UTC_TIMESTAMP(6)
	AND fencing_token < TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) - :retentionMicros
