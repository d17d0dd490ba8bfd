package dev.distlock.test.autoconfigure.webmvc;

import dev.distlock.test.autoconfigure.AutoConfigureDistributedLock;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AutoConfigureDistributedLock @AutoConfigureDistributedLock} beside
 * {@link AutoConfigureMetrics @AutoConfigureMetrics}: a slice with a meter registry
 * records the lock meters.
 *
 * @author Distributed Lock team
 */
@WebMvcTest(TokenController.class)
@Import(TokenService.class)
@AutoConfigureDistributedLock
@AutoConfigureMetrics
class AutoConfigureDistributedLockWithMetricsIntegrationTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private MeterRegistry registry;

	@Test
	void lockedCallsAreMeasured() {
		assertThat(this.mvc.post().uri("/users/42/token")).hasStatusOk();
		assertThat(this.registry.get("distributed.lock.acquire")
			.tags("namespace", "token_refresh", "store", "in-memory", "outcome", "acquired")
			.timer()
			.count()).isOne();
	}

}
