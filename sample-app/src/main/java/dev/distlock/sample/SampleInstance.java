package dev.distlock.sample;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Names this instance of the application in responses (its process id and HTTP port), so
 * that with two instances running it is visible which one did the work.
 *
 * @author Distributed Lock team
 */
@Component
public class SampleInstance implements ApplicationListener<WebServerInitializedEvent> {

	private volatile String name = "pid " + ProcessHandle.current().pid();

	private volatile int port = -1;

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		this.port = event.getWebServer().getPort();
		this.name = "pid " + ProcessHandle.current().pid() + " port " + this.port;
	}

	/**
	 * Return the name of this instance.
	 * @return the name, such as {@code pid 4242 port 8080}
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Return the HTTP port this instance listens on.
	 * @return the port, or {@code -1} before the web server started
	 */
	public int port() {
		return this.port;
	}

}
