package dev.distlock.autoconfigure.health;

import dev.distlock.actuate.DistributedLockHealthIndicator;
import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.core.LockStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@code distributedLock} health
 * contributor, a {@link DistributedLockHealthIndicator} for the lock store. Switched off
 * with {@code management.health.distributedlock.enabled=false}.
 *
 * @author Distributed Lock team
 */
@AutoConfiguration(after = DistributedLockAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(Health.class)
@ConditionalOnBean(LockStore.class)
@ConditionalOnEnabledHealthIndicator("distributedlock")
public final class DistributedLockHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "distributedLockHealthIndicator")
	DistributedLockHealthIndicator distributedLockHealthIndicator(LockStore lockStore) {
		return new DistributedLockHealthIndicator(lockStore);
	}

}
