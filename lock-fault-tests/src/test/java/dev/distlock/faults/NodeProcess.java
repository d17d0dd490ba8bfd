package dev.distlock.faults;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.distlock.faults.node.Events;
import dev.distlock.faults.node.FaultNode;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A {@link FaultNode} running as its own JVM, started with the test JVM's {@code java}
 * and class path: commands go to its standard input, its {@code EVENT} lines are
 * collected, everything else it prints goes to {@code target/fault-nodes/<name>.log}.
 * Signals go to its pid: {@code kill -9}, {@code SIGSTOP}/{@code SIGCONT},
 * {@code SIGTERM}.
 *
 * @author Distributed Lock team
 */
final class NodeProcess implements AutoCloseable {

	/** How long a node may take to start on a loaded machine. */
	private static final Duration STARTUP = Duration.ofSeconds(60);

	private final String name;

	private final Process process;

	private final PrintWriter commands;

	private final List<Event> events = new ArrayList<>();

	private volatile boolean exited;

	private NodeProcess(String name, Process process) {
		this.name = name;
		this.process = process;
		this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
				true);
		Thread reader = new Thread(this::read, "node-" + name + "-stdout");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Start a node and wait until it is ready.
	 * @param name a name for its log
	 * @param properties its Spring Boot properties
	 * @return the ready node
	 */
	static NodeProcess start(String name, Map<String, String> properties) {
		// Signals by pid, and System.nanoTime() as one clock for every process: Linux.
		assumeTrue(System.getProperty("os.name").startsWith("Linux"), "The fault nodes need Linux");
		assumeTrue(new File("/usr/bin/kill").canExecute() || new File("/bin/kill").canExecute(),
				"The fault nodes need the kill command (procps)");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// Small and quick to start: two cores are shared by every process of a scenario.
		command.addAll(List.of("-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
				"-XX:+PerfDisableSharedMem"));
		command.add("-cp");
		command.add(classPath());
		command.add(FaultNode.class.getName());
		Map<String, String> all = new HashMap<>();
		all.put("spring.main.web-application-type", "none");
		all.put("spring.main.banner-mode", "off");
		all.put("logging.level.root", "WARN");
		all.put("logging.level.dev.distlock", "INFO");
		all.put("spring.jmx.enabled", "false");
		all.put("distributed-lock.on-lease-lost", "throw");
		all.putAll(properties);
		all.forEach((key, value) -> command.add("--" + key + "=" + value));
		try {
			Path logs = Path.of("target", "fault-nodes");
			Files.createDirectories(logs);
			Process process = new ProcessBuilder(command).redirectError(logs.resolve(name + ".err").toFile()).start();
			NodeProcess node = new NodeProcess(name, process);
			node.await("READY", "node", STARTUP);
			return node;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String classPath() {
		// Surefire hands the real class path to the test JVM in this property; its own
		// java.class.path may be a manifest-only jar.
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

	String name() {
		return this.name;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Send one command line.
	 * @param command the command, such as {@code hold tag=a key=k lease=3000}
	 */
	void send(String command) {
		this.commands.println(command);
	}

	/**
	 * Wait for an event.
	 * @param type the event type
	 * @param tag the command's tag
	 * @param timeout how long to wait
	 * @return the event
	 * @throws AssertionError if it did not come in time
	 */
	Event await(String type, String tag, Duration timeout) {
		return awaitAny(tag, timeout, type);
	}

	/**
	 * Wait for the first event of a command among some types.
	 * @param tag the command's tag
	 * @param timeout how long to wait
	 * @param types the event types
	 * @return the event
	 * @throws AssertionError if none came in time
	 */
	Event awaitAny(String tag, Duration timeout, String... types) {
		List<String> wanted = List.of(types);
		return awaitEvent((event) -> event.tag().equals(tag) && wanted.contains(event.type()), timeout,
				wanted + " of '" + tag + "'");
	}

	private Event awaitEvent(Predicate<Event> predicate, Duration timeout, String description) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.events) {
			while (true) {
				Optional<Event> found = this.events.stream().filter(predicate).findFirst();
				if (found.isPresent()) {
					return found.get();
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0 || (!this.process.isAlive() && this.exited)) {
					throw new AssertionError("Node " + this.name + " reported no " + description + " within " + timeout
							+ " (alive: " + this.process.isAlive() + "); events: " + this.events);
				}
				try {
					this.events.wait(Math.max(1, Math.min(remaining / 1_000_000, 100)));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new AssertionError(ex);
				}
			}
		}
	}

	/**
	 * Return the events reported so far.
	 * @return a copy of the events
	 */
	List<Event> events() {
		synchronized (this.events) {
			return List.copyOf(this.events);
		}
	}

	/**
	 * Return the events of one type and tag reported so far.
	 * @param type the type
	 * @param tag the tag
	 * @return the events
	 */
	List<Event> events(String type, String tag) {
		return events().stream().filter((event) -> event.type().equals(type) && event.tag().equals(tag)).toList();
	}

	/**
	 * Kill the node at once ({@code kill -9}).
	 * @return when it was killed, by {@link System#nanoTime()}
	 */
	long kill9() {
		long killed = System.nanoTime();
		signal("KILL");
		waitForExit(Duration.ofSeconds(10));
		return killed;
	}

	/**
	 * Freeze the node ({@code SIGSTOP}).
	 */
	void pause() {
		signal("STOP");
	}

	/**
	 * Let a frozen node run again ({@code SIGCONT}).
	 */
	void resume() {
		signal("CONT");
	}

	/**
	 * Ask the node to stop gracefully ({@code SIGTERM}): Spring Boot closes its context.
	 */
	void terminate() {
		signal("TERM");
	}

	/**
	 * Wait for the node's process to end.
	 * @param timeout how long to wait
	 * @return whether it ended
	 */
	boolean waitForExit(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void signal(String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			resume();
			this.commands.println("exit");
			if (!waitForExit(Duration.ofSeconds(10))) {
				this.process.destroyForcibly();
				waitForExit(Duration.ofSeconds(10));
			}
		}
	}

	private void read() {
		Path log = Path.of("target", "fault-nodes", this.name + ".log");
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				Writer out = Files.newBufferedWriter(log)) {
			String line;
			while ((line = in.readLine()) != null) {
				long received = System.nanoTime();
				out.write(line);
				out.write('\n');
				out.flush();
				if (line.startsWith(Events.PREFIX)) {
					Event event = Event.parse(line.substring(Events.PREFIX.length()), received);
					synchronized (this.events) {
						this.events.add(event);
						this.events.notifyAll();
					}
				}
			}
		}
		catch (IOException ex) {
			// The process ended.
		}
		finally {
			this.exited = true;
			synchronized (this.events) {
				this.events.notifyAll();
			}
		}
	}

	/**
	 * One event a node reported.
	 *
	 * @param type what happened
	 * @param tag the command it belongs to
	 * @param nanos when, by the node's {@link System#nanoTime()}
	 * @param attributes the rest of the line
	 */
	record Event(String type, String tag, long nanos, Map<String, String> attributes) {

		static Event parse(String line, long received) {
			String[] words = line.split(" ");
			Map<String, String> attributes = new HashMap<>();
			for (int i = 2; i < words.length; i++) {
				int equals = words[i].indexOf('=');
				if (equals > 0) {
					attributes.put(words[i].substring(0, equals), words[i].substring(equals + 1));
				}
			}
			long nanos = Long.parseLong(attributes.getOrDefault("nanos", Long.toString(received)));
			return new Event(words[0], words[1], nanos, attributes);
		}

		String get(String name) {
			String value = this.attributes.get(name);
			if (value == null) {
				throw new AssertionError("Event " + this + " has no " + name);
			}
			return value;
		}

		long getLong(String name) {
			return Long.parseLong(get(name));
		}

	}

}
