-- The application's own first migration, beside the lock store's: their versions must not clash.
CREATE TABLE app_data (id INT PRIMARY KEY);
