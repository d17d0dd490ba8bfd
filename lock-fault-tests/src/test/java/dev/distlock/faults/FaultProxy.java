package dev.distlock.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 between a client and one server, which a test turns into a bad
 * network: {@linkplain #latency(Duration) latency} on every chunk in both directions, a
 * {@linkplain #blackhole() blackhole} (connections stay open, new ones are accepted, and
 * nothing is forwarded in either direction until {@linkplain #heal() healed}, as when
 * packets are dropped and TCP retransmits them once the path is back), and
 * {@linkplain #resetAll() resets} of every open connection. Two threads per connection;
 * the connections of a fault test are few.
 *
 * @author Distributed Lock team
 */
final class FaultProxy implements AutoCloseable {

	private static final int BUFFER_SIZE = 16 * 1024;

	private final InetSocketAddress target;

	private final ServerSocket server;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final Object gate = new Object();

	private final AtomicInteger accepted = new AtomicInteger();

	private final Thread acceptor;

	private volatile boolean blackholed;

	private volatile long latencyNanos;

	private volatile boolean closed;

	/**
	 * Start a proxy to a server on 127.0.0.1.
	 * @param targetPort the server's port
	 */
	FaultProxy(int targetPort) {
		try {
			this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.acceptor = new Thread(this::accept, "fault-proxy-accept-" + this.server.getLocalPort());
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	/**
	 * Return the port clients connect to.
	 * @return the proxy's port
	 */
	int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Return how many client connections the proxy accepted so far.
	 * @return the count
	 */
	int acceptedConnections() {
		return this.accepted.get();
	}

	/**
	 * Delay every chunk, in each direction, by the given time (zero for none).
	 * @param latency the delay
	 */
	void latency(Duration latency) {
		this.latencyNanos = latency.toNanos();
	}

	/**
	 * Stop forwarding in both directions; connections stay open and new ones are
	 * accepted.
	 */
	void blackhole() {
		this.blackholed = true;
	}

	/**
	 * Forward again, including what was held back while blackholed.
	 */
	void heal() {
		synchronized (this.gate) {
			this.blackholed = false;
			this.gate.notifyAll();
		}
	}

	/**
	 * Reset every open connection (the client sees a connection reset); new connections
	 * are accepted as before.
	 */
	void resetAll() {
		for (Socket socket : this.sockets) {
			reset(socket);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		heal();
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		resetAll();
	}

	private void accept() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			this.accepted.incrementAndGet();
			Socket upstream = new Socket();
			try {
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				upstream.connect(this.target, 5000);
			}
			catch (IOException ex) {
				reset(client);
				reset(upstream);
				continue;
			}
			this.sockets.add(client);
			this.sockets.add(upstream);
			String name = "fault-proxy-" + port() + "-" + this.accepted.get();
			start(name + "-up", client, upstream);
			start(name + "-down", upstream, client);
		}
	}

	private void start(String name, Socket from, Socket to) {
		Thread pump = new Thread(() -> pump(from, to), name);
		pump.setDaemon(true);
		pump.start();
	}

	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[BUFFER_SIZE];
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			int read;
			while ((read = in.read(buffer)) != -1) {
				long latency = this.latencyNanos;
				if (latency > 0) {
					Thread.sleep(latency / 1_000_000, (int) (latency % 1_000_000));
				}
				awaitOpenPath();
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// The connection was reset or closed: close its other side too.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			reset(from);
			reset(to);
		}
	}

	private void awaitOpenPath() throws InterruptedException {
		synchronized (this.gate) {
			while (this.blackholed) {
				this.gate.wait();
			}
		}
	}

	private void reset(Socket socket) {
		this.sockets.remove(socket);
		try {
			if (socket.isConnected() && !socket.isClosed()) {
				// Linger zero: close with RST, as a broken connection does.
				socket.setSoLinger(true, 0);
			}
		}
		catch (SocketException ex) {
			// Closing anyway.
		}
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Already closed.
		}
	}

}
