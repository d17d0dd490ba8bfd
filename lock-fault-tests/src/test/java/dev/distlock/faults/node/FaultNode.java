package dev.distlock.faults.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * One instance of an application with distributed locks, run as its own JVM by the fault
 * tests: a Spring Boot application (no web server) whose lock store is configured by its
 * command-line properties, as a user's is. It reads commands from standard input, one a
 * line ({@code hold}, {@code soak}, {@code method}, {@code exit}; see {@link FaultWork}),
 * and reports what happens as {@code EVENT} lines on standard output ({@link Events}).
 * Times are {@link System#nanoTime()}, which on Linux is one clock for every process of
 * the machine.
 *
 * @author Distributed Lock team
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ FaultWork.class, LockedMethod.class, FaultNodeEvents.class })
public class FaultNode {

	/**
	 * Start the application and serve commands until standard input ends or says
	 * {@code exit}.
	 * @param args Spring Boot command-line properties
	 * @throws IOException if standard input fails
	 */
	public static void main(String[] args) throws IOException {
		SpringApplication application = new SpringApplication(FaultNode.class);
		ConfigurableApplicationContext context = application.run(args);
		FaultWork work = context.getBean(FaultWork.class);
		Events.emit("READY", "node", "pid=" + ProcessHandle.current().pid());
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			String[] words = line.trim().split("\\s+");
			if (words.length == 0 || words[0].isEmpty()) {
				continue;
			}
			if (words[0].equals("exit")) {
				break;
			}
			Map<String, String> arguments = new HashMap<>();
			for (int i = 1; i < words.length; i++) {
				int equals = words[i].indexOf('=');
				arguments.put(words[i].substring(0, equals), words[i].substring(equals + 1));
			}
			work.start(words[0], arguments);
		}
		System.exit(SpringApplication.exit(context));
	}

}
