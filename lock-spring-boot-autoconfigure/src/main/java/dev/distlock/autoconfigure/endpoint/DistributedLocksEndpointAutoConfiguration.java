package dev.distlock.autoconfigure.endpoint;

import dev.distlock.actuate.DistributedLocksEndpoint;
import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.core.LockTemplate;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@code distributedlocks} actuator
 * endpoint, when it is available (exposed and not switched off by its access setting).
 * Keys are shown unmasked as {@code management.endpoint.distributedlocks.show-values} and
 * {@code roles} allow.
 *
 * @author Distributed Lock team
 */
@AutoConfiguration(after = DistributedLockAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(LockTemplate.class)
@ConditionalOnAvailableEndpoint(DistributedLocksEndpoint.class)
@EnableConfigurationProperties(DistributedLocksEndpointProperties.class)
public final class DistributedLocksEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DistributedLocksEndpoint distributedLocksEndpoint(LockTemplate lockTemplate,
			DistributedLocksEndpointProperties properties) {
		return new DistributedLocksEndpoint(lockTemplate, properties.getShowValues(), properties.getRoles());
	}

}
