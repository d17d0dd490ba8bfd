package dev.distlock.autoconfigure;

import dev.distlock.aop.DistributedLockAdvisor;
import dev.distlock.aop.DistributedLockInterceptor;
import dev.distlock.aop.DistributedLockMethodValidator;
import dev.distlock.aop.LockOperationSource;
import dev.distlock.core.LockTemplate;
import dev.distlock.expression.LockKeyExpressionsRuntimeHints;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * The {@code @DistributedLock} advice. Its beans are infrastructure created while
 * post-processors are registered, so they read their settings straight from the
 * {@link Environment} and reach the {@link LockTemplate} lazily, at the first locked
 * call: the store's beans are then created normally, with every post-processor.
 *
 * @author Distributed Lock team
 */
@Configuration(proxyBeanMethods = false)
@ImportRuntimeHints(LockKeyExpressionsRuntimeHints.class)
@Import(DistributedLockAdviceConfiguration.AutoProxyRegistrar.class)
class DistributedLockAdviceConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static LockOperationSource distributedLockOperationSource(Environment environment) {
		return new LockOperationSource(environment, LockSettingsFactory.create(bind(environment)));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static DistributedLockMethodValidator distributedLockMethodValidator(LockOperationSource operationSource) {
		return new DistributedLockMethodValidator(operationSource);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static DistributedLockInterceptor distributedLockInterceptor(LockOperationSource operationSource,
			ObjectProvider<LockTemplate> lockTemplate) {
		return new DistributedLockInterceptor(operationSource, lockTemplate::getObject);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static DistributedLockAdvisor distributedLockAdvisor(LockOperationSource operationSource,
			DistributedLockInterceptor interceptor, Environment environment) {
		DistributedLockAdvisor advisor = new DistributedLockAdvisor(operationSource, interceptor);
		advisor.setOrder(bind(environment).getAop().getOrder());
		return advisor;
	}

	private static DistributedLockProperties bind(Environment environment) {
		return Binder.get(environment).bindOrCreate("distributed-lock", DistributedLockProperties.class);
	}

	/**
	 * Makes sure an auto-proxy creator applies advisors, also when Spring Boot's AOP
	 * auto-configuration is switched off ({@code spring.aop.auto=false}); follows
	 * {@code spring.aop.proxy-target-class} (default {@code true}) like Spring Boot.
	 */
	static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

		private boolean proxyTargetClass = true;

		@Override
		public void setEnvironment(Environment environment) {
			this.proxyTargetClass = environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true);
		}

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
			if (this.proxyTargetClass) {
				AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
			}
		}

	}

}
