package dev.distlock.faults.node;

/**
 * The event lines a fault node writes on standard output:
 * {@code EVENT <type> <tag> nanos=<System.nanoTime()> key=value...}, one per line.
 *
 * @author Distributed Lock team
 */
public final class Events {

	/** What every event line starts with. */
	public static final String PREFIX = "EVENT ";

	private Events() {
	}

	/**
	 * Write one event.
	 * @param type what happened
	 * @param tag the command it belongs to
	 * @param attributes {@code key=value} words, without spaces
	 */
	public static void emit(String type, String tag, String... attributes) {
		StringBuilder line = new StringBuilder(PREFIX).append(type)
			.append(' ')
			.append(tag)
			.append(" nanos=")
			.append(System.nanoTime());
		for (String attribute : attributes) {
			line.append(' ').append(attribute.replace(' ', '_').replace('\n', '_'));
		}
		synchronized (System.out) {
			System.out.println(line);
			System.out.flush();
		}
	}

}
