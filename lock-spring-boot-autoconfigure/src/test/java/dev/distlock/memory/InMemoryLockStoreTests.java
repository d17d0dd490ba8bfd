package dev.distlock.memory;

import dev.distlock.core.AbstractLockStoreContractTests;
import dev.distlock.core.LockStore;

/**
 * The lock contract on the {@link InMemoryLockStore}. Its "instances" are templates
 * sharing one store, as instances share one server.
 *
 * @author Distributed Lock team
 */
class InMemoryLockStoreTests extends AbstractLockStoreContractTests {

	private final InMemoryLockStore shared = new InMemoryLockStore();

	@Override
	protected LockStore createStore() {
		return this.shared;
	}

}
