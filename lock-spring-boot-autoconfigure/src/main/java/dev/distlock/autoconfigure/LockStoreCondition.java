package dev.distlock.autoconfigure;

import java.util.Locale;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.type.ClassMetadata;

/**
 * Matches a store's configuration when {@code distributed-lock.store} is {@code auto} or
 * names that store. Which of several matching stores wins is decided by their order
 * ({@link LockStoreConfigurations}) and {@code @ConditionalOnMissingBean(LockStore)}.
 *
 * @author Distributed Lock team
 */
class LockStoreCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String sourceClass = (metadata instanceof ClassMetadata classMetadata) ? classMetadata.getClassName() : "";
		LockStoreType required = LockStoreConfigurations.getType(sourceClass);
		LockStoreType configured = configuredStore(context);
		String message = "distributed-lock.store=" + propertyValue(configured);
		if (configured == LockStoreType.AUTO) {
			return ConditionOutcome.match(message + " tries the " + propertyValue(required) + " store");
		}
		return (configured == required) ? ConditionOutcome.match(message + " selects it")
				: ConditionOutcome.noMatch(message + " selects another store");
	}

	static LockStoreType configuredStore(ConditionContext context) {
		return Binder.get(context.getEnvironment())
			.bind("distributed-lock.store", LockStoreType.class)
			.orElse(LockStoreType.AUTO);
	}

	static String propertyValue(LockStoreType type) {
		return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
