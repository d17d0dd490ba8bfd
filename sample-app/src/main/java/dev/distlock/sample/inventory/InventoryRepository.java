package dev.distlock.sample.inventory;

import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A downstream store that honours fencing tokens: it remembers the token of the last
 * accepted write of each item and refuses a write that carries a token that is not
 * greater. The comparison happens in the same statement as the write, so no check-then-
 * write race lets a stale holder through.
 *
 * @author Distributed Lock team
 */
@Repository
public class InventoryRepository {

	private final JdbcClient jdbc;

	InventoryRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Set an item's quantity if the fencing token is greater than that of the last
	 * accepted write.
	 * @param sku the item
	 * @param quantity the new quantity
	 * @param fencingToken the writer's fencing token
	 * @param writtenBy the writing instance
	 * @return {@code true} if written, {@code false} if refused as stale
	 */
	public boolean write(String sku, int quantity, long fencingToken, String writtenBy) {
		if (updateIfNewer(sku, quantity, fencingToken, writtenBy)) {
			return true;
		}
		try {
			this.jdbc.sql("INSERT INTO inventory (sku, quantity, fencing_token, written_by) VALUES (?, ?, ?, ?)")
				.params(sku, quantity, fencingToken, writtenBy)
				.update();
			return true;
		}
		catch (DuplicateKeyException ex) {
			// The row exists: either with a newer token (refuse) or inserted just now by
			// a
			// stale holder with an older one (the conditional update wins over it).
			return updateIfNewer(sku, quantity, fencingToken, writtenBy);
		}
	}

	private boolean updateIfNewer(String sku, int quantity, long fencingToken, String writtenBy) {
		return this.jdbc
			.sql("UPDATE inventory SET quantity = ?, fencing_token = ?, written_by = ? "
					+ "WHERE sku = ? AND fencing_token < ?")
			.params(quantity, fencingToken, writtenBy, sku, fencingToken)
			.update() == 1;
	}

	/**
	 * Return an item.
	 * @param sku the item
	 * @return the item, or empty if it was never written
	 */
	public Optional<InventoryItem> find(String sku) {
		return this.jdbc.sql("SELECT sku, quantity, fencing_token, written_by FROM inventory WHERE sku = ?")
			.param(sku)
			.query(InventoryItem.class)
			.optional();
	}

}
