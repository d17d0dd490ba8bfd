package dev.distlock.memory;

import dev.distlock.core.AbstractLockRegistryContractTests;
import dev.distlock.core.LockRegistry;

/**
 * The lock contract on the {@link InMemoryLockRegistry}.
 *
 * @author Distributed Lock team
 */
class InMemoryLockRegistryTests extends AbstractLockRegistryContractTests {

	@Override
	protected LockRegistry createRegistry() {
		return new InMemoryLockRegistry();
	}

}
