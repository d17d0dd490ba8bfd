package dev.distlock.redis;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code INFO commandstats}: how often the server ran each command, the counts that
 * prove round trips and messages.
 *
 * @author Distributed Lock team
 */
final class RedisCommandStats {

	private RedisCommandStats() {
	}

	static Map<String, Long> parse(String info) {
		Map<String, Long> calls = new TreeMap<>();
		info.lines().filter((line) -> line.startsWith("cmdstat_")).forEach((line) -> {
			String command = line.substring("cmdstat_".length(), line.indexOf(':'));
			int start = line.indexOf("calls=") + "calls=".length();
			String count = line.substring(start, line.indexOf(',', start));
			calls.put(command, Long.parseLong(count));
		});
		// The test's own resetting and reading of the statistics.
		calls.keySet().removeIf((command) -> command.startsWith("config") || command.startsWith("info"));
		return calls;
	}

}
