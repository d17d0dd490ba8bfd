package dev.distlock.test.autoconfigure;

import dev.distlock.test.RecordingLockStore;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Clears every {@link RecordingLockStore} bean before each test method, so that a test
 * sees only what it locked itself, also when it shares a cached application context with
 * other tests. Does nothing for a test whose context has not been loaded or has no such
 * bean.
 *
 * @author Distributed Lock team
 */
class ResetRecordingLockStoresTestExecutionListener implements TestExecutionListener {

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		context.getBeansOfType(RecordingLockStore.class, false, false).values().forEach(RecordingLockStore::reset);
	}

}
