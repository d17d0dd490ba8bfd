package dev.distlock.sample.inventory;

import java.time.Duration;

import dev.distlock.annotation.AutoRenew;
import dev.distlock.annotation.DistributedLock;
import dev.distlock.core.LockContext;
import dev.distlock.sample.SampleInstance;

import org.springframework.stereotype.Service;

/**
 * Sets stock levels under a lock per item and passes the lock's fencing token to the
 * store. A lock alone cannot stop a holder that was paused past its lease (a long GC
 * pause, a slow network) from writing after another holder took over; the fencing token
 * lets the store refuse that late write.
 *
 * @author Distributed Lock team
 */
@Service
public class InventoryService {

	private final InventoryRepository inventory;

	private final SampleInstance instance;

	InventoryService(InventoryRepository inventory, SampleInstance instance) {
		this.inventory = inventory;
		this.instance = instance;
	}

	/**
	 * Set an item's quantity. Renewal is off and the lease short
	 * ({@code sample.inventory.lease-time}) so that a pause can outlive the lease, as it
	 * would in production when the whole process stalls.
	 * @param sku the item
	 * @param quantity the new quantity
	 * @param pause how long to stall before writing, to simulate a GC pause
	 * @return the item as written
	 * @throws StaleFencingTokenException if a newer lock holder has written since
	 * @throws InterruptedException if interrupted while paused
	 */
	@DistributedLock(namespace = "inventory", keys = "#sku", leaseTime = "${sample.inventory.lease-time:2s}",
			autoRenew = AutoRenew.OFF)
	public InventoryItem setQuantity(String sku, int quantity, Duration pause) throws InterruptedException {
		long fencingToken = LockContext.currentLease().orElseThrow().fencingToken();
		Thread.sleep(pause.toMillis());
		if (!this.inventory.write(sku, quantity, fencingToken, this.instance.name())) {
			long accepted = this.inventory.find(sku).map(InventoryItem::fencingToken).orElse(Long.MIN_VALUE);
			throw new StaleFencingTokenException(sku, fencingToken, accepted);
		}
		return new InventoryItem(sku, quantity, fencingToken, this.instance.name());
	}

}
