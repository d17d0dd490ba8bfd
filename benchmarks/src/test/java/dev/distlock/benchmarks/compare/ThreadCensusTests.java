package dev.distlock.benchmarks.compare;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link ThreadCensus}.
 */
class ThreadCensusTests {

	@Test
	void keepsTheMostLibraryThreadsSeenAtOnceByName() throws Exception {
		CountDownLatch end = new CountDownLatch(1);
		CountDownLatch started = new CountDownLatch(2);
		ThreadCensus census = new ThreadCensus(5, "census-test-");
		Thread first = library("census-test-worker-1", started, end);
		Thread second = library("census-test-worker-2", started, end);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		// Several sample intervals with both alive.
		Thread.sleep(100);
		end.countDown();
		first.join();
		second.join();
		census.stop();
		assertThat(census.maxLibrary()).isEqualTo(2);
		assertThat(census.libraryAtMax()).containsOnly(entry("census-test-worker-N", 2));
		assertThat(census.maxAll()).isGreaterThanOrEqualTo(census.maxLibrary());
		assertThat(census.samples()).isGreaterThan(2);
	}

	private static Thread library(String name, CountDownLatch started, CountDownLatch end) {
		Thread thread = new Thread(() -> {
			started.countDown();
			try {
				end.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

}
