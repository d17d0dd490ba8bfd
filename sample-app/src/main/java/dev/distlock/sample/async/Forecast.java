package dev.distlock.sample.async;

import java.time.Instant;

/**
 * A demand forecast for one product, computed under a lock.
 *
 * @param sku the product
 * @param unitsNextWeek the forecast demand
 * @param fencingToken the fencing token of the lock it was computed under
 * @param computedAt when it was computed
 * @author Distributed Lock team
 */
public record Forecast(String sku, int unitsNextWeek, long fencingToken, Instant computedAt) {

}
