package dev.distlock.sample.processing;

import java.time.Instant;

import dev.distlock.annotation.DistributedLock;
import dev.distlock.core.Lease;
import dev.distlock.core.LockContext;
import dev.distlock.sample.SampleInstance;

import org.springframework.stereotype.Service;

/**
 * Processes one table of one database at a time, as Superset does with
 * {@code KeyValueDistributedLock("data_processing", database_id=..., table_name=...)}.
 * Both parameters make up the key, so two tables, or the same table in two databases, are
 * processed in parallel.
 *
 * @author Distributed Lock team
 */
@Service
public class DataProcessingService {

	private final ProcessingProperties properties;

	private final SampleInstance instance;

	DataProcessingService(ProcessingProperties properties, SampleInstance instance) {
		this.properties = properties;
		this.instance = instance;
	}

	/**
	 * Process a table, or fail fast with
	 * {@link dev.distlock.core.LockNotAcquiredException} (409) if it is being processed.
	 * The key is {@code data_processing:<databaseId>:<tableName>}.
	 * @param databaseId the database
	 * @param tableName the table
	 * @return what was done
	 * @throws InterruptedException if interrupted while processing
	 */
	@DistributedLock(namespace = "data_processing", keys = { "#databaseId", "#tableName" })
	public ProcessingResult process(long databaseId, String tableName) throws InterruptedException {
		Lease lease = LockContext.currentLease().orElseThrow();
		Instant startedAt = Instant.now();
		Thread.sleep(this.properties.duration().toMillis());
		return new ProcessingResult(databaseId, tableName, lease.key().asString(), lease.fencingToken(), startedAt,
				Instant.now(), this.instance.name());
	}

}
