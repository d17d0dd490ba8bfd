package dev.distlock.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Shuts a {@link LockTemplate} down gracefully when the application context closes, in a
 * {@link SmartLifecycle} phase ({@value #PHASE}) that stops after the web server's
 * graceful shutdown and before the store's connection factory (Lettuce's phase is 0) and
 * the {@code DataSource} (closed when its bean is destroyed, after every phase):
 * <ol>
 * <li>new acquisitions fail at once ({@code acquire} and the annotation throw
 * {@link LockNotAcquiredException} saying that the application is shutting down;
 * {@code tryAcquire} returns empty), and waiting acquisitions end the same way;</li>
 * <li>locked work that is running is awaited up to the shutdown timeout, while its leases
 * keep being renewed; whatever finishes releases its lock, the store still open;</li>
 * <li>leases still held after the timeout are never released under the running work: they
 * are left to expire in the store, and logged at WARN with their keys masked.</li>
 * </ol>
 * Stopping never takes longer than the timeout. Keep the timeout below Spring's
 * {@code spring.lifecycle.timeout-per-shutdown-phase} (30 seconds by default).
 *
 * @author Distributed Lock team
 */
public class DistributedLockLifecycle implements SmartLifecycle {

	/**
	 * The phase: after Spring Boot's web server graceful shutdown
	 * ({@code SmartLifecycle.DEFAULT_PHASE - 1024}) and web server stop
	 * ({@code DEFAULT_PHASE - 2048}), before Lettuce's connection factory (0).
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(DistributedLockLifecycle.class);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final LockTemplate template;

	private final Duration timeout;

	private volatile boolean running;

	/**
	 * Create a lifecycle for a template.
	 * @param template the template
	 * @param timeout how long to await running locked work at shutdown
	 */
	public DistributedLockLifecycle(LockTemplate template, Duration timeout) {
		this.template = Objects.requireNonNull(template, "template must not be null");
		this.timeout = Durations.requireNotNegative(timeout, "timeout");
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		HeldLeases held = this.template.held();
		held.beginShutdown();
		long deadline = System.nanoTime() + this.timeout.toNanos();
		int waitingFor = held.activeCount();
		if (waitingFor > 0) {
			logger.info("Waiting up to " + this.timeout.toMillis() + " ms for " + waitingFor
					+ " locked section(s) to finish before shutting down");
		}
		while (held.activeCount() > 0 && deadline - System.nanoTime() > 0) {
			try {
				TimeUnit.NANOSECONDS.sleep(Math.min(POLL_NANOS, Math.max(deadline - System.nanoTime(), 0)));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		List<DefaultLease> remaining = held.active();
		held.terminate();
		for (DefaultLease lease : remaining) {
			logger.warn("Lock '" + lease.key().namespace() + ":******' (fencing token " + lease.fencingToken()
					+ ", held by '" + lease.holder() + "') was still held when the shutdown timeout of "
					+ this.timeout.toMillis() + " ms ended: it is not released under the running work and expires "
					+ "with its lease");
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
