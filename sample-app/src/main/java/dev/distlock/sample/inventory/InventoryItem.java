package dev.distlock.sample.inventory;

/**
 * A stock level as stored, with the fencing token of the lock holder that wrote it.
 *
 * @param sku the stock keeping unit
 * @param quantity the quantity in stock
 * @param fencingToken the fencing token of the write that set it
 * @param writtenBy the instance that wrote it
 * @author Distributed Lock team
 */
public record InventoryItem(String sku, int quantity, long fencingToken, String writtenBy) {

}
