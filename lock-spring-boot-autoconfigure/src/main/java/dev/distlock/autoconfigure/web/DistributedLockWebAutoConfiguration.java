package dev.distlock.autoconfigure.web;

import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.autoconfigure.endpoint.DistributedLocksEndpointProperties;
import dev.distlock.core.LockNotAcquiredException;
import dev.distlock.core.LockTemplate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

/**
 * {@link AutoConfiguration Auto-configuration} of the answer to a
 * {@link LockNotAcquiredException} in Spring MVC and Spring WebFlux applications:
 * {@code 409 Conflict} with a problem detail that names the lock's namespace, and its key
 * only when {@code management.endpoint.distributedlocks.show-values} allows, as for the
 * endpoint. The handler is ordered last, so the application's own
 * {@code @ExceptionHandler} for the exception wins; exclude this auto-configuration to
 * let the exception through instead.
 *
 * @author Distributed Lock team
 */
@AutoConfiguration(after = DistributedLockAutoConfiguration.class)
@ConditionalOnClass(ProblemDetail.class)
@ConditionalOnBean(LockTemplate.class)
public final class DistributedLockWebAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
	static class ServletConfiguration {

		@Bean
		LockNotAcquiredExceptionHandler distributedLockNotAcquiredExceptionHandler(
				ObjectProvider<LockKeyDisclosure> disclosure) {
			return new LockNotAcquiredExceptionHandler(disclosure.getIfAvailable(() -> LockKeyDisclosure.NEVER));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
	static class ReactiveConfiguration {

		@Bean
		ReactiveLockNotAcquiredExceptionHandler distributedLockNotAcquiredExceptionHandler(
				ObjectProvider<LockKeyDisclosure> disclosure) {
			return new ReactiveLockNotAcquiredExceptionHandler(
					disclosure.getIfAvailable(() -> LockKeyDisclosure.NEVER));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.Show")
	@EnableConfigurationProperties(DistributedLocksEndpointProperties.class)
	static class ShowValuesConfiguration {

		@Bean
		ShowValuesLockKeyDisclosure distributedLockKeyDisclosure(DistributedLocksEndpointProperties properties) {
			return new ShowValuesLockKeyDisclosure(properties);
		}

	}

}
