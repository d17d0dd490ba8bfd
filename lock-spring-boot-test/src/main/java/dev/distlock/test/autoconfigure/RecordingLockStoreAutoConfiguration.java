package dev.distlock.test.autoconfigure;

import dev.distlock.core.LockStore;
import dev.distlock.test.RecordingLockStore;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * {@link AutoConfiguration Auto-configuration} that wraps every {@link LockStore} bean in
 * a {@link RecordingLockStore}, so that a test can inject it and check what was locked.
 * Imported by {@link AutoConfigureDistributedLock @AutoConfigureDistributedLock} unless
 * its {@code record} attribute is {@code false}.
 * <p>
 * The wrapper takes the store bean's place: the template, the health indicator and the
 * test all see it, and it closes the wrapped store when the context closes. A
 * {@code RecordingLockStore} bean of the test's own is left as it is.
 *
 * @author Distributed Lock team
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "distributed-lock.test.record", matchIfMissing = true)
public final class RecordingLockStoreAutoConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static RecordingLockStorePostProcessor recordingLockStorePostProcessor() {
		return new RecordingLockStorePostProcessor();
	}

}
