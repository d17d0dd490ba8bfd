package dev.distlock.faults.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.distlock.core.Lease;
import dev.distlock.core.LockContext;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockLostException;
import dev.distlock.core.LockNotAcquiredException;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockTemplate;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;

/**
 * The commands of a fault node. Every command runs on its own thread and is bounded in
 * time by its arguments:
 * <ul>
 * <li>{@code hold tag=T key=K lease=MS wait=MS hold=MS [ledger=true] [marker=true]}: take
 * the lock {@code faults:K} through {@link LockTemplate} (renewed), hold it, write the
 * fenced ledger with its token at the end of the hold, release;</li>
 * <li>{@code soak tag=T keys=K1,K2 threads=N duration=MS lease=MS wait=MS work=MS}: N
 * threads take the locks in turn until the duration ends, every critical section checks
 * the exclusive marker and writes the fenced ledger;</li>
 * <li>{@code method tag=T key=K hold=MS}: call the {@code @DistributedLock} method.</li>
 * </ul>
 * The exclusive marker is an OS file lock per key in {@code faults.marker-dir}: taking it
 * fails while another process or thread holds it, and the OS frees it when a process
 * dies. The fenced ledger is a table in {@code faults.ledger-url} that accepts a write
 * only with a token no lower than the last one it accepted for the key.
 *
 * @author Distributed Lock team
 */
class FaultWork implements DisposableBean {

	private final LockTemplate template;

	private final LockedMethod method;

	private final Path markerDirectory;

	private final @Nullable HikariDataSource ledger;

	FaultWork(LockTemplate template, LockedMethod method, @Value("${faults.marker-dir}") Path markerDirectory,
			@Value("${faults.ledger-url:}") String ledgerUrl) {
		this.template = template;
		this.method = method;
		this.markerDirectory = markerDirectory;
		this.ledger = ledgerUrl.isEmpty() ? null : ledger(ledgerUrl);
	}

	private static HikariDataSource ledger(String url) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setMaximumPoolSize(10);
		// Connections made before the work starts, not inside the first critical
		// sections.
		config.setMinimumIdle(4);
		config.setConnectionTimeout(5000);
		config.setPoolName("fault-ledger");
		return new HikariDataSource(config);
	}

	void start(String command, Map<String, String> arguments) {
		String tag = arguments.getOrDefault("tag", command);
		Runnable work = switch (command) {
			case "hold" -> () -> hold(tag, arguments);
			case "soak" -> () -> soak(tag, arguments);
			case "method" -> () -> method(tag, arguments);
			default -> () -> Events.emit("UNKNOWN_COMMAND", tag, "command=" + command);
		};
		Thread thread = new Thread(() -> {
			try {
				work.run();
			}
			catch (RuntimeException ex) {
				Events.emit("COMMAND_FAILED", tag, "exception=" + ex.getClass().getSimpleName(),
						"message=" + ex.getMessage());
			}
		}, "fault-" + tag);
		thread.start();
	}

	private void hold(String tag, Map<String, String> arguments) {
		String key = arguments.get("key");
		LockOptions options = LockOptions.builder()
			.leaseTime(millis(arguments, "lease"))
			.waitTime(millis(arguments, "wait"))
			.autoRenew(true)
			.build();
		long holdMillis = millis(arguments, "hold").toMillis();
		boolean useLedger = Boolean.parseBoolean(arguments.getOrDefault("ledger", "false"));
		boolean useMarker = Boolean.parseBoolean(arguments.getOrDefault("marker", "true"));
		Events.emit("ATTEMPT", tag);
		long started = System.nanoTime();
		Lease lease;
		try {
			lease = this.template.acquire(LockKey.of("faults", key), options);
		}
		catch (RuntimeException ex) {
			Events.emit("FAILED", tag, "exception=" + ex.getClass().getSimpleName(),
					"elapsedMs=" + (System.nanoTime() - started) / 1_000_000, "message=" + ex.getMessage());
			return;
		}
		Events.emit("ACQUIRED", tag, "token=" + lease.fencingToken(),
				"expiresInMs=" + Duration.between(Instant.now(), lease.expiresAt()).toMillis());
		this.template.whenLost(lease)
			.thenRun(() -> Events.emit("TOLD", tag, "token=" + lease.fencingToken(),
					"afterExpiryMs=" + Duration.between(lease.expiresAt(), Instant.now()).toMillis()));
		try {
			this.template.runHolding(lease, () -> {
				FileLock marker = useMarker ? enter(tag, key) : null;
				try {
					// A holder that is told it lost the lease stops its work.
					long end = System.nanoTime() + holdMillis * 1_000_000;
					while (System.nanoTime() - end < 0 && lease.isValid()) {
						sleep(Math.min(2, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
					}
					Events.emit("HELD", tag, "valid=" + lease.isValid());
					if (useLedger) {
						write(tag, key, lease.fencingToken(), true);
					}
				}
				finally {
					exit(marker);
				}
				return null;
			});
			Events.emit("RELEASED", tag, "valid=" + lease.isValid());
		}
		catch (LockLostException ex) {
			Events.emit("LOCK_LOST_EXCEPTION", tag, "valid=" + lease.isValid());
		}
	}

	private void soak(String tag, Map<String, String> arguments) {
		String[] keys = arguments.get("keys").split(",");
		int threads = Integer.parseInt(arguments.get("threads"));
		long end = System.nanoTime() + millis(arguments, "duration").toNanos();
		LockOptions options = LockOptions.builder()
			.leaseTime(millis(arguments, "lease"))
			.waitTime(millis(arguments, "wait"))
			.build();
		long workMillis = millis(arguments, "work").toMillis();
		AtomicLong acquired = new AtomicLong();
		AtomicLong overlaps = new AtomicLong();
		AtomicLong notAcquired = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		AtomicLong rejected = new AtomicLong();
		AtomicLong lost = new AtomicLong();
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Thread worker = new Thread(() -> {
				while (System.nanoTime() - end < 0) {
					String key = keys[ThreadLocalRandom.current().nextInt(keys.length)];
					try {
						this.template.execute(LockKey.of("faults", key), options, () -> {
							acquired.incrementAndGet();
							Lease lease = LockContext.currentLease().orElseThrow();
							FileLock marker = enter(tag, key);
							try {
								if (marker == null) {
									overlaps.incrementAndGet();
								}
								sleep(workMillis);
								if (this.ledger != null && !write(tag, key, lease.fencingToken(), false)) {
									rejected.incrementAndGet();
								}
							}
							finally {
								exit(marker);
							}
							return null;
						});
					}
					catch (LockNotAcquiredException ex) {
						notAcquired.incrementAndGet();
					}
					catch (LockLostException ex) {
						lost.incrementAndGet();
					}
					catch (RuntimeException ex) {
						errors.incrementAndGet();
					}
				}
			}, "fault-" + tag + "-" + i);
			worker.start();
			workers.add(worker);
		}
		for (Thread worker : workers) {
			try {
				worker.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		Events.emit("SOAK", tag, "acquired=" + acquired, "overlaps=" + overlaps, "notAcquired=" + notAcquired,
				"errors=" + errors, "rejected=" + rejected, "lost=" + lost);
	}

	private void method(String tag, Map<String, String> arguments) {
		try {
			long token = this.method.work(arguments.get("key"), millis(arguments, "hold").toMillis(), tag);
			Events.emit("METHOD_RETURNED", tag, "token=" + token);
		}
		catch (RuntimeException ex) {
			Events.emit("METHOD_FAILED", tag, "exception=" + ex.getClass().getSimpleName(),
					"message=" + ex.getMessage());
		}
	}

	/**
	 * Take the key's exclusive marker, or report an overlap.
	 * @return the marker, or {@code null} if another holder has it
	 */
	private @Nullable FileLock enter(String tag, String key) {
		FileChannel channel = null;
		try {
			channel = FileChannel.open(this.markerDirectory.resolve(key + ".marker"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
			FileLock lock = channel.tryLock();
			if (lock != null) {
				return lock;
			}
		}
		catch (OverlappingFileLockException ex) {
			// Another thread of this process holds it.
		}
		catch (IOException ex) {
			Events.emit("MARKER_ERROR", tag, "message=" + ex.getMessage());
		}
		close(channel);
		Events.emit("OVERLAP", tag, "key=" + key);
		return null;
	}

	private static void exit(@Nullable FileLock marker) {
		if (marker != null) {
			close(marker.channel());
		}
	}

	private static void close(@Nullable FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// Closing releases the OS lock in any case.
			}
		}
	}

	/**
	 * Write the fenced ledger: accepted only if no higher token was accepted for the key.
	 * @param report whether to report the outcome as an event
	 * @return whether the write was accepted
	 */
	private boolean write(String tag, String key, long token, boolean report) {
		HikariDataSource ledger = this.ledger;
		if (ledger == null) {
			throw new IllegalStateException("faults.ledger-url is not set");
		}
		try (Connection connection = ledger.getConnection();
				PreparedStatement statement = connection.prepareStatement(
						"INSERT INTO fault_ledger (lock_key, token, writer) VALUES (?, ?, ?) ON CONFLICT (lock_key) "
								+ "DO UPDATE SET token = EXCLUDED.token, writer = EXCLUDED.writer, "
								+ "writes = fault_ledger.writes + 1 WHERE fault_ledger.token <= EXCLUDED.token")) {
			statement.setString(1, key);
			statement.setLong(2, token);
			statement.setString(3, tag + "@" + ProcessHandle.current().pid());
			boolean accepted = statement.executeUpdate() == 1;
			if (report) {
				Events.emit("LEDGER", tag, "accepted=" + accepted, "token=" + token);
			}
			return accepted;
		}
		catch (SQLException ex) {
			Events.emit("LEDGER_ERROR", tag, "message=" + ex.getMessage());
			throw new IllegalStateException(ex);
		}
	}

	private static Duration millis(Map<String, String> arguments, String name) {
		return Duration.ofMillis(Long.parseLong(arguments.getOrDefault(name, "0")));
	}

	private static void sleep(long millis) {
		long end = System.nanoTime() + millis * 1_000_000;
		while (System.nanoTime() - end < 0) {
			try {
				Thread.sleep(Math.max(1, Math.min(20, (end - System.nanoTime()) / 1_000_000)));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public void destroy() {
		if (this.ledger != null) {
			this.ledger.close();
		}
	}

}
