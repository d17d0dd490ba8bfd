package dev.distlock.test.autoconfigure.webmvc;

import dev.distlock.core.LockStore;
import dev.distlock.core.LockTemplate;
import dev.distlock.test.autoconfigure.AutoConfigureDistributedLock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why {@link AutoConfigureDistributedLock @AutoConfigureDistributedLock} exists: a test
 * slice applies only its own auto-configurations, so without it nothing is locked.
 *
 * @author Distributed Lock team
 */
@WebMvcTest(TokenController.class)
@Import(TokenService.class)
class WebMvcTestWithoutTheAnnotationIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Test
	void theSliceHasNoLocks() {
		assertThat(this.context.getBeanNamesForType(LockTemplate.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(LockStore.class)).isEmpty();
	}

}
