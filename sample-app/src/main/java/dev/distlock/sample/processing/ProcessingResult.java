package dev.distlock.sample.processing;

import java.time.Instant;

/**
 * What one processing run did, and under which lock.
 *
 * @param databaseId the database
 * @param tableName the table
 * @param lock the lock key the run held, in its readable form
 * @param fencingToken the fencing token of that lock
 * @param startedAt when processing started
 * @param finishedAt when it finished
 * @param processedBy the instance that processed the table
 * @author Distributed Lock team
 */
public record ProcessingResult(long databaseId, String tableName, String lock, long fencingToken, Instant startedAt,
		Instant finishedAt, String processedBy) {

}
