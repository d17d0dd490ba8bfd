package dev.distlock.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The fault proxy on its own, between a client and an echo server.
 *
 * @author Distributed Lock team
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FaultProxyTests {

	private ServerSocket echoServer;

	private FaultProxy proxy;

	@BeforeEach
	void start() throws IOException {
		this.echoServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread echo = new Thread(this::echo, "echo-server");
		echo.setDaemon(true);
		echo.start();
		this.proxy = new FaultProxy(this.echoServer.getLocalPort());
	}

	@AfterEach
	void stop() throws IOException {
		this.proxy.close();
		this.echoServer.close();
	}

	@Test
	void forwardsBothWays() throws IOException {
		try (Socket client = connect()) {
			assertThat(roundTrip(client, "hello")).isEqualTo("hello");
			assertThat(roundTrip(client, "again")).isEqualTo("again");
		}
		assertThat(this.proxy.acceptedConnections()).isOne();
	}

	@Test
	void addsLatencyInEachDirection() throws IOException {
		try (Socket client = connect()) {
			roundTrip(client, "warm");
			this.proxy.latency(Duration.ofMillis(100));
			long start = System.nanoTime();
			assertThat(roundTrip(client, "slow")).isEqualTo("slow");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
			this.proxy.latency(Duration.ZERO);
			start = System.nanoTime();
			roundTrip(client, "fast");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
		}
	}

	@Test
	void blackholeHoldsEverythingBackAndKeepsConnectionsOpenUntilHealed() throws Exception {
		try (Socket client = connect()) {
			roundTrip(client, "before");
			this.proxy.blackhole();
			client.setSoTimeout(500);
			OutputStream out = client.getOutputStream();
			out.write("held".getBytes());
			out.flush();
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> client.getInputStream().read());
			try (Socket newcomer = connect()) {
				newcomer.setSoTimeout(500);
				newcomer.getOutputStream().write("new".getBytes());
				assertThatExceptionOfType(SocketTimeoutException.class)
					.isThrownBy(() -> newcomer.getInputStream().read());
				this.proxy.heal();
				client.setSoTimeout(5000);
				assertThat(read(client, 4)).as("held data arrives once healed").isEqualTo("held");
				newcomer.setSoTimeout(5000);
				assertThat(read(newcomer, 3)).isEqualTo("new");
			}
		}
	}

	@Test
	void resetClosesEveryOpenConnectionAndAcceptsNewOnes() throws IOException {
		try (Socket client = connect()) {
			roundTrip(client, "before");
			this.proxy.resetAll();
			client.setSoTimeout(5000);
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
				// A reset connection fails to read (or reads its end).
				client.getOutputStream().write("x".getBytes());
				if (client.getInputStream().read() == -1) {
					throw new IOException("end of stream");
				}
			});
		}
		try (Socket client = connect()) {
			assertThat(roundTrip(client, "after")).isEqualTo("after");
		}
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.proxy.port());
		socket.setSoTimeout(5000);
		return socket;
	}

	private static String roundTrip(Socket socket, String text) throws IOException {
		socket.getOutputStream().write(text.getBytes());
		socket.getOutputStream().flush();
		return read(socket, text.length());
	}

	private static String read(Socket socket, int length) throws IOException {
		byte[] bytes = new byte[length];
		InputStream in = socket.getInputStream();
		int offset = 0;
		while (offset < length) {
			int read = in.read(bytes, offset, length - offset);
			if (read == -1) {
				throw new IOException("end of stream after " + offset + " bytes");
			}
			offset += read;
		}
		return new String(bytes);
	}

	private void echo() {
		while (!this.echoServer.isClosed()) {
			try {
				Socket socket = this.echoServer.accept();
				Thread connection = new Thread(() -> {
					try (socket) {
						socket.getInputStream().transferTo(socket.getOutputStream());
					}
					catch (IOException ex) {
						// The client went away.
					}
				}, "echo-connection");
				connection.setDaemon(true);
				connection.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

}
