package dev.distlock.test.autoconfigure.webmvc;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.distlock.core.Lease;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockOptions;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockTemplate;
import dev.distlock.memory.InMemoryLockStore;
import dev.distlock.test.RecordingLockStore;
import dev.distlock.test.autoconfigure.AutoConfigureDistributedLock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AutoConfigureDistributedLock#record() record = false}: the slice gets the lock
 * auto-configuration with the store as the application would have it.
 *
 * @author Distributed Lock team
 */
@WebMvcTest(TokenController.class)
@Import(TokenService.class)
@AutoConfigureDistributedLock(record = false)
class AutoConfigureDistributedLockWithoutRecordingIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private LockTemplate lockTemplate;

	@Autowired
	private MockMvcTester mvc;

	@Test
	void theStoreIsNotWrappedAndTheServiceIsStillLocked() throws Exception {
		assertThat(this.context.getBean(LockStore.class)).isInstanceOf(InMemoryLockStore.class);
		assertThat(this.context.getBeanNamesForType(RecordingLockStore.class)).isEmpty();
		ExecutorService otherCaller = Executors.newSingleThreadExecutor();
		try {
			Lease held = otherCaller
				.submit(() -> this.lockTemplate.acquire(LockKey.of("token_refresh", 42), LockOptions.defaults()))
				.get(30, TimeUnit.SECONDS);
			assertThat(this.mvc.post().uri("/users/42/token")).hasStatus(HttpStatus.CONFLICT);
			assertThat(this.mvc.post().uri("/users/7/token")).hasStatusOk();
			held.close();
		}
		finally {
			otherCaller.shutdownNow();
		}
		assertThat(this.mvc.post().uri("/users/42/token")).hasStatusOk();
	}

}
