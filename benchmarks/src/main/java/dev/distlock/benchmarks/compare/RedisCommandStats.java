package dev.distlock.benchmarks.compare;

import java.time.Duration;
import java.util.Set;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Round trips counted by the Redis server itself, from {@code INFO commandstats}: the
 * calls of every script command ({@code EVALSHA}, {@code EVAL} and their read-only
 * forms), which is one round trip each for every Redis lock here, and the calls of every
 * command but {@code INFO} (Redis counts the commands a script runs too). The counts are
 * the whole server's: read them on a server that nothing else uses.
 *
 * @author Distributed Lock team
 */
final class RedisCommandStats implements RoundTripCounter {

	private static final Set<String> SCRIPTS = Set.of("evalsha", "eval", "evalsha_ro", "eval_ro", "fcall", "fcall_ro");

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	RedisCommandStats(String url) {
		this.client = RedisClient.create(RedisURI.create(url));
		this.connection = this.client.connect();
	}

	@Override
	public Counts read() {
		return parse(this.connection.sync().info("commandstats"));
	}

	@Override
	public boolean isServerWide() {
		return true;
	}

	@Override
	public String source() {
		return "Redis INFO commandstats, server-wide: script calls (EVALSHA/EVAL)";
	}

	/**
	 * Sum the calls of an {@code INFO commandstats} answer.
	 * @param info lines such as {@code cmdstat_evalsha:calls=12,usec=...}
	 * @return the script calls and the calls of every command but {@code INFO}
	 */
	static Counts parse(String info) {
		long scripts = 0;
		long commands = 0;
		for (String line : info.split("\r?\n")) {
			if (!line.startsWith("cmdstat_")) {
				continue;
			}
			int colon = line.indexOf(':');
			int calls = line.indexOf("calls=", colon);
			if (colon < 0 || calls < 0) {
				continue;
			}
			String command = line.substring("cmdstat_".length(), colon).toLowerCase(java.util.Locale.ROOT);
			int end = line.indexOf(',', calls);
			long count = Long.parseLong(line.substring(calls + "calls=".length(), (end > 0) ? end : line.length()));
			if (SCRIPTS.contains(command)) {
				scripts += count;
			}
			if (!command.equals("info")) {
				commands += count;
			}
		}
		return new Counts(scripts, commands);
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

}
