package dev.distlock.sample.inventory;

import java.time.Duration;

import org.springframework.format.annotation.DurationFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Inventory endpoints: a write guarded by the lock's fencing token. A stale holder's
 * write gets 409 Conflict with both tokens.
 *
 * @author Distributed Lock team
 */
@RestController
public class InventoryController {

	private final InventoryService inventoryService;

	private final InventoryRepository inventory;

	InventoryController(InventoryService inventoryService, InventoryRepository inventory) {
		this.inventoryService = inventoryService;
		this.inventory = inventory;
	}

	/**
	 * Set an item's quantity.
	 * @param sku the item
	 * @param quantity the new quantity
	 * @param pause how long the writer stalls while holding the lock, such as {@code 3s}
	 * @return the item as written
	 * @throws InterruptedException if interrupted while paused
	 */
	@PutMapping("/inventory/{sku}")
	public InventoryItem setQuantity(@PathVariable String sku, @RequestParam int quantity,
			@RequestParam(defaultValue = "0s") @DurationFormat(style = DurationFormat.Style.SIMPLE) Duration pause)
			throws InterruptedException {
		return this.inventoryService.setQuantity(sku, quantity, pause);
	}

	/**
	 * Return an item.
	 * @param sku the item
	 * @return the item, or 404
	 */
	@GetMapping("/inventory/{sku}")
	public ResponseEntity<InventoryItem> item(@PathVariable String sku) {
		return ResponseEntity.of(this.inventory.find(sku));
	}

}
