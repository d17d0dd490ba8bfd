package dev.distlock.benchmarks.compare;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the scripts and SQL that live beside these classes.
 *
 * @author Distributed Lock team
 */
final class Resources {

	private Resources() {
	}

	static String read(String name) {
		return read(Resources.class.getClassLoader(), Resources.class.getPackageName().replace('.', '/') + "/" + name);
	}

	static String read(ClassLoader classLoader, String path) {
		try (InputStream in = classLoader.getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("Resource not found: " + path);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
