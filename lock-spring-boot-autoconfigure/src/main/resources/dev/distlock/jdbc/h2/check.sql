SELECT lock_id FROM {table} WHERE 1 = 0
