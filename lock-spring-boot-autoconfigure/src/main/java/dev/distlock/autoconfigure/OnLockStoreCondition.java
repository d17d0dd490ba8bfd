package dev.distlock.autoconfigure;

import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * The condition behind {@link ConditionalOnLockStore @ConditionalOnLockStore}.
 *
 * @author Distributed Lock team
 */
class OnLockStoreCondition extends SpringBootCondition implements ConfigurationCondition {

	static final String REDIS_CONNECTION_FACTORY = "org.springframework.data.redis.connection.RedisConnectionFactory";

	static final String DATA_SOURCE = "javax.sql.DataSource";

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnLockStore.class.getName());
		Assert.state(attributes != null, "No @ConditionalOnLockStore found");
		LockStoreType required = (LockStoreType) attributes.get("value");
		LockStoreType configured = configuredStore(context);
		String message = "distributed-lock.store=" + configured.name().toLowerCase().replace('_', '-');
		if (configured == required) {
			return ConditionOutcome.match(message + " selects it");
		}
		if (configured != LockStoreType.AUTO) {
			return ConditionOutcome.noMatch(message + " selects another store");
		}
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		boolean redis = hasBean(beanFactory, context, REDIS_CONNECTION_FACTORY);
		return switch (required) {
			case REDIS -> redis ? ConditionOutcome.match(message + " found a RedisConnectionFactory")
					: ConditionOutcome.noMatch(message + " found no RedisConnectionFactory");
			case JDBC -> (!redis && hasBean(beanFactory, context, DATA_SOURCE))
					? ConditionOutcome.match(message + " found a DataSource and no RedisConnectionFactory")
					: ConditionOutcome.noMatch(message + " found a RedisConnectionFactory or no DataSource");
			default -> ConditionOutcome.noMatch(message + " does not select " + required);
		};
	}

	static LockStoreType configuredStore(ConditionContext context) {
		return Binder.get(context.getEnvironment())
			.bind("distributed-lock.store", LockStoreType.class)
			.orElse(LockStoreType.AUTO);
	}

	private static boolean hasBean(ConfigurableListableBeanFactory beanFactory, ConditionContext context,
			String typeName) {
		if (beanFactory == null || !ClassUtils.isPresent(typeName, context.getClassLoader())) {
			return false;
		}
		Class<?> type = ClassUtils.resolveClassName(typeName, context.getClassLoader());
		return beanFactory.getBeanNamesForType(type, true, false).length > 0;
	}

}
