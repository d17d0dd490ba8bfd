package dev.distlock.test.autoconfigure;

import dev.distlock.core.LockStore;
import dev.distlock.test.RecordingLockStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.SmartInstantiationAwareBeanPostProcessor;

/**
 * Wraps each {@link LockStore} bean in a {@link RecordingLockStore}. It also predicts the
 * wrapped type, so that a bean that asks for a {@code RecordingLockStore} finds it before
 * the store has been created.
 *
 * @author Distributed Lock team
 */
class RecordingLockStorePostProcessor implements SmartInstantiationAwareBeanPostProcessor {

	private static final Log logger = LogFactory.getLog(RecordingLockStorePostProcessor.class);

	@Override
	public @Nullable Class<?> predictBeanType(Class<?> beanClass, String beanName) {
		return isUnwrappedStore(beanClass) ? RecordingLockStore.class : null;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof LockStore store && isUnwrappedStore(bean.getClass())) {
			if (logger.isDebugEnabled()) {
				logger.debug("Recording the locks of lock store bean '" + beanName + "' (" + store.storeName() + ")");
			}
			return new RecordingLockStore(store);
		}
		return bean;
	}

	private static boolean isUnwrappedStore(Class<?> type) {
		return LockStore.class.isAssignableFrom(type) && !RecordingLockStore.class.isAssignableFrom(type);
	}

}
