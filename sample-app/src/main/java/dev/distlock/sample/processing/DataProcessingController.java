package dev.distlock.sample.processing;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Data processing endpoint: one run per (database, table) at a time; a concurrent request
 * for the same pair gets 409 Conflict.
 *
 * @author Distributed Lock team
 */
@RestController
public class DataProcessingController {

	private final DataProcessingService processingService;

	DataProcessingController(DataProcessingService processingService) {
		this.processingService = processingService;
	}

	/**
	 * Process a table of a database.
	 * @param databaseId the database
	 * @param tableName the table
	 * @return what was done
	 * @throws InterruptedException if interrupted while processing
	 */
	@PostMapping("/databases/{databaseId}/tables/{tableName}/process")
	public ProcessingResult process(@PathVariable long databaseId, @PathVariable String tableName)
			throws InterruptedException {
		return this.processingService.process(databaseId, tableName);
	}

}
