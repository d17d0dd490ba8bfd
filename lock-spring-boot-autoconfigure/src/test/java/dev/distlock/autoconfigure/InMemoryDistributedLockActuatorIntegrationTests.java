package dev.distlock.autoconfigure;

import org.springframework.test.context.TestPropertySource;

/**
 * The actuator end-to-end tests on the in-memory store, which cannot be stopped.
 *
 * @author Distributed Lock team
 */
@TestPropertySource(properties = "distributed-lock.store=in-memory")
class InMemoryDistributedLockActuatorIntegrationTests extends AbstractDistributedLockActuatorIntegrationTests {

	@Override
	protected String expectedStore() {
		return "in-memory";
	}

}
