package dev.distlock.faults.node;

import dev.distlock.annotation.DistributedLock;
import dev.distlock.core.Lease;
import dev.distlock.core.LockContext;

/**
 * A locked method, as a user writes one, for shutdown under load: it reports when it
 * starts and ends, and sleeps between without looking at interrupts, as work that must
 * not be cut short does.
 *
 * @author Distributed Lock team
 */
public class LockedMethod {

	/**
	 * Work under the lock {@code faults:<key>} for the given time.
	 * @param key the key
	 * @param holdMillis how long to work
	 * @param tag the command's tag
	 * @return the fencing token the method ran with
	 */
	@DistributedLock(namespace = "faults", keys = "#key", leaseTime = "${faults.method-lease-time:2s}")
	public long work(String key, long holdMillis, String tag) {
		Lease lease = LockContext.currentLease().orElseThrow();
		Events.emit("METHOD_START", tag, "token=" + lease.fencingToken());
		long end = System.nanoTime() + holdMillis * 1_000_000;
		while (System.nanoTime() - end < 0) {
			try {
				Thread.sleep(Math.max(1, Math.min(20, (end - System.nanoTime()) / 1_000_000)));
			}
			catch (InterruptedException ex) {
				Events.emit("METHOD_INTERRUPTED", tag);
			}
		}
		Events.emit("METHOD_END", tag, "valid=" + lease.isValid());
		return lease.fencingToken();
	}

}
