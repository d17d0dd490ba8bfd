package dev.distlock.aop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import dev.distlock.annotation.DistributedLock;
import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.core.Lease;
import dev.distlock.core.LockAttempt;
import dev.distlock.core.LockListener;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests that the lock advice runs outside {@code @Transactional}: the lock is taken
 * before the transaction begins and released after it commits or rolls back, so the next
 * holder sees the committed data.
 *
 * @author Distributed Lock team
 */
class TransactionOrderingTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class))
		.withPropertyValues("distributed-lock.store=in-memory");

	@Test
	void lockIsTakenBeforeTheTransactionBeginsAndReleasedAfterItCommits() {
		this.contextRunner.withUserConfiguration(TransactionalConfiguration.class).run((context) -> {
			context.getBean(AccountService.class).transfer(1);
			assertThat(context.getBean(Events.class).list).containsExactly("lock acquired", "transaction begun",
					"method in transaction", "transaction committed", "lock released");
		});
	}

	@Test
	void lockIsReleasedAfterTheTransactionRolledBack() {
		this.contextRunner.withUserConfiguration(TransactionalConfiguration.class).run((context) -> {
			assertThatIllegalStateException().isThrownBy(() -> context.getBean(AccountService.class).transfer(-1));
			assertThat(context.getBean(Events.class).list).containsExactly("lock acquired", "transaction begun",
					"method in transaction", "transaction rolled back", "lock released");
		});
	}

	@Test
	void adviceOrderIsConfigurable() {
		this.contextRunner.withUserConfiguration(TransactionalConfiguration.class)
			.withPropertyValues("distributed-lock.aop.order=" + Integer.MAX_VALUE)
			.withPropertyValues("test.transaction-order=0")
			.run((context) -> {
				context.getBean(AccountService.class).transfer(1);
				assertThat(context.getBean(Events.class).list).containsExactly("transaction begun", "lock acquired",
						"method in transaction", "lock released", "transaction committed");
			});
	}

	static class Events {

		final List<String> list = new CopyOnWriteArrayList<>();

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement(order = Integer.MAX_VALUE)
	static class TransactionalConfiguration {

		@Bean
		Events events() {
			return new Events();
		}

		@Bean
		DataSource dataSource() {
			return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).generateUniqueName(true).build();
		}

		@Bean
		DataSourceTransactionManager transactionManager(DataSource dataSource, Events events) {
			return new RecordingTransactionManager(dataSource, events);
		}

		@Bean
		LockListener recordingLockListener(Events events) {
			return new LockListener() {

				@Override
				public void onAcquired(LockAttempt attempt, Lease lease, Duration waited) {
					events.list.add("lock acquired");
				}

				@Override
				public void onReleased(LockAttempt attempt, Lease lease, Duration held) {
					events.list.add("lock released");
				}

			};
		}

		@Bean
		AccountService accountService(Events events) {
			return new AccountService(events);
		}

		@Bean
		static BeanFactoryPostProcessor transactionOrder(Environment environment) {
			// Moves the transaction advice when a test asks for it.
			return (beanFactory) -> {
				String order = environment.getProperty("test.transaction-order");
				if (order != null) {
					beanFactory.getBeanDefinition("org.springframework.transaction.config.internalTransactionAdvisor")
						.getPropertyValues()
						.add("order", Integer.valueOf(order));
				}
			};
		}

	}

	static class AccountService {

		private final Events events;

		AccountService(Events events) {
			this.events = events;
		}

		@DistributedLock(namespace = "account", keys = "#amount > 0")
		@Transactional
		void transfer(int amount) {
			if (TransactionSynchronizationManager.isActualTransactionActive()) {
				this.events.list.add("method in transaction");
			}
			if (amount < 0) {
				throw new IllegalStateException("negative amount");
			}
		}

	}

	static class RecordingTransactionManager extends DataSourceTransactionManager {

		private static final long serialVersionUID = 1L;

		private final transient Events events;

		RecordingTransactionManager(DataSource dataSource, Events events) {
			super(dataSource);
			this.events = events;
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
			super.doBegin(transaction, definition);
			this.events.list.add("transaction begun");
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
			super.doCommit(status);
			this.events.list.add("transaction committed");
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
			super.doRollback(status);
			this.events.list.add("transaction rolled back");
		}

	}

}
