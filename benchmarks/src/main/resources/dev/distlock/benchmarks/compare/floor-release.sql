DELETE FROM bench_floor_lock WHERE lock_key = ? AND owner = ?
