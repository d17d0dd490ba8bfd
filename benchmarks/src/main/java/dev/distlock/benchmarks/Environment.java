package dev.distlock.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reader needs to judge a run: when, on what machine, with which versions, and the
 * command that produced it.
 *
 * @author Distributed Lock team
 */
final class Environment {

	private static final List<String> LIBRARIES = List.of("org.redisson:redisson",
			"org.springframework.integration:spring-integration-redis",
			"org.springframework.integration:spring-integration-jdbc",
			"net.javacrumbs.shedlock:shedlock-provider-redis-spring",
			"net.javacrumbs.shedlock:shedlock-provider-jdbc-template", "io.lettuce:lettuce-core",
			"org.springframework.data:spring-data-redis", "org.postgresql:postgresql",
			"org.mariadb.jdbc:mariadb-java-client", "com.zaxxer:HikariCP", "org.openjdk.jmh:jmh-core");

	private Environment() {
	}

	static String describe() {
		StringBuilder out = new StringBuilder();
		out.append("- Date: ")
			.append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
			.append('\n');
		out.append("- Machine: ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores (nproc)")
			.append(cpu())
			.append(", ")
			.append(System.getProperty("os.name"))
			.append(' ')
			.append(System.getProperty("os.version"))
			.append(' ')
			.append(System.getProperty("os.arch"))
			.append('\n');
		out.append("- Java: ")
			.append(System.getProperty("java.vm.name"))
			.append(' ')
			.append(System.getProperty("java.runtime.version"))
			.append('\n');
		out.append("- Code: ").append(commit()).append('\n');
		out.append("- Libraries: ").append(String.join(", ", libraries())).append('\n');
		out.append("- Command: `")
			.append(ProcessHandle.current().info().commandLine().orElse("(unknown)"))
			.append("`\n");
		return out.toString();
	}

	/*
	 * The commit measured, when run from a git work tree (as the README's command is).
	 */
	private static String commit() {
		try {
			String head = run("git", "rev-parse", "--short", "HEAD");
			String changes = run("git", "status", "--porcelain", "--untracked-files=no");
			return head.isEmpty() ? "(not a git work tree)" : head + (changes.isEmpty() ? "" : " with local changes");
		}
		catch (IOException ex) {
			return "(git not available)";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "(interrupted)";
		}
	}

	private static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		return (process.waitFor() == 0) ? output : "";
	}

	/**
	 * Return the one-minute load average, which tells how much else the machine was
	 * doing: on 2 cores, anything near 2 or above makes the absolute figures noisy.
	 * @return the load average, or {@code "unknown"}
	 */
	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	private static String cpu() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					return ", " + line.substring(line.indexOf(':') + 1).trim();
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Not Linux: the core count is what matters most.
		}
		return "";
	}

	/*
	 * The resolved versions, from the dependency list the build writes beside the
	 * classes.
	 */
	private static List<String> libraries() {
		List<String> found = new ArrayList<>();
		try (InputStream in = Environment.class.getResourceAsStream("dependencies.txt")) {
			if (in == null) {
				return List.of("(dependency list not built)");
			}
			String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r?\n");
			for (String library : LIBRARIES) {
				for (String line : lines) {
					String trimmed = line.trim();
					if (trimmed.startsWith(library + ":")) {
						String[] coordinates = trimmed.split(":");
						found.add(coordinates[1] + " " + coordinates[3]);
						break;
					}
				}
			}
		}
		catch (IOException ex) {
			found.add("(dependency list unreadable: " + ex.getMessage() + ")");
		}
		return found;
	}

}
