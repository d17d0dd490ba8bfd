package dev.distlock.sample;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

/**
 * The application starts with no server installed and reports itself healthy.
 *
 * @author Distributed Lock team
 */
@SampleApplicationTest
class SampleApplicationTests {

	@LocalServerPort
	private int port;

	@Test
	void startsWithoutServersAndHealthIsUp() {
		ResponseEntity<Map<String, Object>> health = SampleHttp
			.exchange(SampleHttp.client(this.port).get().uri("/actuator/health"));
		assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(health.getBody()).containsEntry("status", "UP");
		assertThat(health.getBody()).extractingByKey("components").asInstanceOf(MAP).containsKey("db");
	}

	@Test
	void metricsEndpointIsExposed() {
		ResponseEntity<Map<String, Object>> metrics = SampleHttp
			.exchange(SampleHttp.client(this.port).get().uri("/actuator/metrics"));
		assertThat(metrics.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(metrics.getBody()).containsKey("names");
	}

}
