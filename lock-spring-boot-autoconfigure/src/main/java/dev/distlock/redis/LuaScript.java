package dev.distlock.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.core.io.ClassPathResource;

/**
 * A Lua script of the Redis store, read once from its resource file beside this class,
 * with its SHA-1 digest for {@code EVALSHA}.
 *
 * @param name the resource name, such as {@code acquire.lua}
 * @param body the script
 * @param sha1 the hex SHA-1 digest of the script
 * @param returnsList whether the script returns a list rather than a number
 * @author Distributed Lock team
 */
record LuaScript(String name, byte[] body, String sha1, boolean returnsList) {

	static final LuaScript ACQUIRE = load("acquire.lua", false);

	static final LuaScript ACQUIRE_WAITING = load("acquire-waiting.lua", false);

	static final LuaScript RELEASE = load("release.lua", false);

	static final LuaScript RENEW = load("renew.lua", true);

	static LuaScript load(String name, boolean returnsList) {
		ClassPathResource resource = new ClassPathResource(name, LuaScript.class);
		try {
			byte[] body = resource.getContentAsByteArray();
			return new LuaScript(name, body, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body)),
					returnsList);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read the Redis lock script " + resource, ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required by every Java platform", ex);
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
