-- The sample's own tables (the lock table belongs to the lock store and is created by it).
-- Portable between H2 and PostgreSQL, and safe to run on every start.

CREATE TABLE IF NOT EXISTS oauth_token (
	user_id BIGINT NOT NULL PRIMARY KEY,
	access_token VARCHAR(100) NOT NULL,
	issued_at TIMESTAMP WITH TIME ZONE NOT NULL,
	expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
	refreshed_by VARCHAR(100) NOT NULL
);

CREATE TABLE IF NOT EXISTS report_result (
	report_id VARCHAR(200) NOT NULL PRIMARY KEY,
	content VARCHAR(1000) NOT NULL,
	computed_at TIMESTAMP WITH TIME ZONE NOT NULL,
	computed_by VARCHAR(100) NOT NULL
);

-- fencing_token: the token of the lock holder whose write is stored; a write with a
-- token that is not greater is refused (see InventoryRepository).
CREATE TABLE IF NOT EXISTS inventory (
	sku VARCHAR(200) NOT NULL PRIMARY KEY,
	quantity INTEGER NOT NULL,
	fencing_token BIGINT NOT NULL,
	written_by VARCHAR(100) NOT NULL
);
