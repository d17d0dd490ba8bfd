package dev.distlock.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures the fault scenarios measure, written to {@code target/fault-figures.md}
 * after every new figure (so an interrupted run keeps what it measured) and printed at
 * the end of the run by {@link FigureReport}.
 *
 * @author Distributed Lock team
 */
final class Figures {

	private static final Path FILE = Path.of("target", "fault-figures.md");

	private static final List<String[]> rows = new ArrayList<>();

	private Figures() {
	}

	/**
	 * Record one figure.
	 * @param scenario the scenario, such as {@code a. kill -9 (Redis)}
	 * @param figure what was measured
	 * @param value the measured value, with its unit
	 * @param bound the bound or goal it is checked against
	 */
	static synchronized void record(String scenario, String figure, String value, String bound) {
		rows.add(new String[] { scenario, figure, value, bound });
		try {
			Files.createDirectories(FILE.getParent());
			Files.writeString(FILE, table());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static synchronized boolean isEmpty() {
		return rows.isEmpty();
	}

	static synchronized String table() {
		StringBuilder table = new StringBuilder("# Fault suite figures\n\n")
			.append("| scenario | figure | measured | bound or goal |\n|---|---|---|---|\n");
		for (String[] row : rows) {
			table.append("| ").append(String.join(" | ", row)).append(" |\n");
		}
		return table.toString();
	}

	static Path file() {
		return FILE;
	}

}
