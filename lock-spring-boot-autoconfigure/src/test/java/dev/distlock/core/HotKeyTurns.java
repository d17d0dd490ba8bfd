package dev.distlock.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One hot key shared by the waiters of several instances: how the store tests check that
 * instances take turns rather than one keeping the key within itself.
 *
 * @author Distributed Lock team
 */
public final class HotKeyTurns {

	private HotKeyTurns() {
	}

	/**
	 * Let four threads per instance hold the key in turn, each a number of times.
	 * @param instances one template per instance
	 * @param key the key
	 * @param waiting the options of every hold
	 * @param holdsEach how many times each thread holds the key
	 * @param timeout how long all holds may take
	 * @return the index of the holding instance, in the order of the holds
	 * @throws Exception if a hold failed or they took too long
	 */
	public static List<Integer> holders(List<LockTemplate> instances, LockKey key, LockOptions waiting, int holdsEach,
			Duration timeout) throws Exception {
		List<Integer> holders = Collections.synchronizedList(new ArrayList<>());
		int threads = 4 * instances.size();
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int instance = t % instances.size();
				futures.add(executor.submit(() -> {
					for (int i = 0; i < holdsEach; i++) {
						instances.get(instance).execute(key, waiting, () -> holders.add(instance));
					}
				}));
			}
			long deadline = System.nanoTime() + timeout.toNanos();
			for (Future<?> future : futures) {
				future.get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		return holders;
	}

	/**
	 * Return the longest run of holds by one of two instances, from the other instance's
	 * first hold (its threads may start a few holds late) until one instance is done
	 * (then the other has the key to itself).
	 * @param holders the holding instance of each hold, 0 or 1
	 * @param perInstance how many holds each instance makes
	 * @return the longest run
	 */
	public static int longestRun(List<Integer> holders, int perInstance) {
		int longestRun = 0;
		int run = 0;
		int[] holds = new int[2];
		int start = holders.indexOf(1 - holders.get(0));
		for (int i = 0; i < holders.size() && holds[0] < perInstance && holds[1] < perInstance; i++) {
			holds[holders.get(i)]++;
			if (i >= start) {
				run = (i > start && holders.get(i).equals(holders.get(i - 1))) ? run + 1 : 1;
				longestRun = Math.max(longestRun, run);
			}
		}
		return longestRun;
	}

	/**
	 * Return how often the key went from one of two instances to the other, until one
	 * instance is done (then the other has the key to itself).
	 * @param holders the holding instance of each hold, 0 or 1
	 * @param perInstance how many holds each instance makes
	 * @return the number of changes of instance
	 */
	public static int changes(List<Integer> holders, int perInstance) {
		int changes = 0;
		int[] holds = new int[2];
		for (int i = 0; i < holders.size() && holds[0] < perInstance && holds[1] < perInstance; i++) {
			holds[holders.get(i)]++;
			if (i > 0 && !holders.get(i).equals(holders.get(i - 1))) {
				changes++;
			}
		}
		return changes;
	}

}
