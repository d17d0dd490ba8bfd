package dev.distlock.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.distlock.test.RecordingLockStore;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Annotation for a test class that adds the distributed lock auto-configuration to the
 * application context, so that {@code @DistributedLock} methods are locked and a
 * {@code LockTemplate} can be injected. Spring Boot's test slices ({@code @WebMvcTest},
 * {@code @DataJdbcTest}, {@code @DataRedisTest}, ...) leave it out otherwise:
 *
 * <pre class="code">
 * &#64;WebMvcTest(TokenController.class)
 * &#64;Import(TokenService.class)
 * &#64;AutoConfigureDistributedLock
 * class TokenControllerTests {
 *
 *     &#64;Autowired
 *     RecordingLockStore locks;
 *
 *     &#64;Test
 *     void refreshIsLockedPerUser(&#64;Autowired MockMvcTester mvc) {
 *         assertThat(mvc.post().uri("/users/42/token")).hasStatusOk();
 *         RecordingLockStoreAssert.assertThat(this.locks).hasLocked(LockKey.of("token_refresh", 42), 1);
 *     }
 *
 * }
 * </pre>
 *
 * The store is chosen as in the application: Redis or JDBC when the slice has a
 * {@code RedisConnectionFactory} or a {@code DataSource}, else in memory. Metrics and
 * observations are recorded when the slice has a meter or observation registry (for
 * example with {@code @AutoConfigureMetrics}); the actuator endpoint and health
 * contributor are left out, as slices leave out the actuator.
 * <p>
 * By default the lock store is wrapped in a {@link RecordingLockStore} (see
 * {@link #record()}), which the test can inject and which is cleared before each test
 * method. It can also be used on a {@code @SpringBootTest}, where the auto-configuration
 * is there already, to record the locks.
 *
 * @author Distributed Lock team
 * @see RecordingLockStoreAutoConfiguration
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("distributed-lock.test")
public @interface AutoConfigureDistributedLock {

	/**
	 * Whether to wrap the lock store in a {@link RecordingLockStore} bean that records
	 * every acquisition and release, and to clear it before each test method. The locking
	 * itself is unchanged.
	 * @return whether to record the locks
	 */
	boolean record() default true;

}
