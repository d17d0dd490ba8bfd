package dev.distlock.sample.load;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.distlock.sample.SampleInstance;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The load command:
 * {@code POST /load?scenario=token&requests=200&concurrency=16&keys=2&targets=http://localhost:8080,http://localhost:8081}.
 * Without {@code targets}, the requests go to this instance.
 *
 * @author Distributed Lock team
 */
@RestController
public class LoadController {

	private final LoadGenerator loadGenerator;

	private final SampleInstance instance;

	LoadController(LoadGenerator loadGenerator, SampleInstance instance) {
		this.loadGenerator = loadGenerator;
		this.instance = instance;
	}

	/**
	 * Fire concurrent requests of a scenario and report the lock outcomes and meters.
	 * @param scenario {@code token}, {@code processing} or {@code report}
	 * @param requests how many requests to send (1 to 10000)
	 * @param concurrency how many to keep in flight at once (1 to 64)
	 * @param keys over how many distinct users, tables or reports to spread them (1 to
	 * 1000)
	 * @param targets comma-separated base URLs of the instances to load, round robin;
	 * this instance if absent
	 * @return the counts and meters
	 * @throws InterruptedException if interrupted while waiting for the requests
	 */
	@PostMapping("/load")
	public LoadReport load(@RequestParam String scenario, @RequestParam(defaultValue = "200") int requests,
			@RequestParam(defaultValue = "16") int concurrency, @RequestParam(defaultValue = "2") int keys,
			@RequestParam(required = false) @Nullable String targets) throws InterruptedException {
		requireBetween("requests", requests, 1, 10_000);
		requireBetween("concurrency", concurrency, 1, 64);
		requireBetween("keys", keys, 1, 1000);
		return this.loadGenerator.run(scenarioNamed(scenario), requests, concurrency, keys, targets(targets));
	}

	private static LoadScenario scenarioNamed(String name) {
		try {
			return LoadScenario.valueOf(name.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"Unknown scenario '" + name + "': use one of " + Arrays.toString(LoadScenario.values()));
		}
	}

	private List<String> targets(@Nullable String targets) {
		if (targets == null || targets.isBlank()) {
			return List.of("http://localhost:" + this.instance.port());
		}
		return Arrays.stream(targets.split(",")).map(String::strip).filter((target) -> !target.isEmpty()).toList();
	}

	private static void requireBetween(String name, int value, int min, int max) {
		if (value < min || value > max) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					name + " must be between " + min + " and " + max + ", but was " + value);
		}
	}

}
