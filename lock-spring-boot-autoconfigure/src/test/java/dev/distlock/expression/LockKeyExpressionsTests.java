package dev.distlock.expression;

import java.lang.reflect.Method;
import java.util.Map;

import dev.distlock.core.InvalidLockKeyException;
import dev.distlock.core.LockKey;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link LockKeyExpressions}.
 *
 * @author Distributed Lock team
 */
class LockKeyExpressionsTests {

	private final Method refresh = ReflectionUtils.findMethod(Service.class, "refresh", long.class, String.class);

	private final Service target = new Service();

	private LockKey evaluate(String... expressions) {
		return LockKeyExpressions.parse("ns", expressions, this.refresh)
			.evaluate(this.target, Service.class, new Object[] { 42L, "eu" }, null);
	}

	@Test
	void argumentsByNameAndPosition() {
		assertThat(evaluate("#userId", "#region")).isEqualTo(LockKey.of("ns", 42L, "eu"));
		assertThat(evaluate("#p0", "#a1")).isEqualTo(LockKey.of("ns", 42L, "eu"));
		assertThat(evaluate("#userId + 1", "#region.toUpperCase(T(java.util.Locale).ROOT)"))
			.isEqualTo(LockKey.of("ns", 43L, "EU"));
	}

	@Test
	void rootObject() {
		assertThat(evaluate("#root.method.name", "#root.methodName")).isEqualTo(LockKey.of("ns", "refresh", "refresh"));
		assertThat(evaluate("#root.args[1]", "#root.targetClass.simpleName"))
			.isEqualTo(LockKey.of("ns", "eu", "Service"));
		assertThat(evaluate("#root.target.tenant()")).isEqualTo(LockKey.of("ns", "acme"));
		assertThat(evaluate("methodName")).as("root properties without #root").isEqualTo(LockKey.of("ns", "refresh"));
	}

	@Test
	void beanReferences() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("regions", Map.of("eu", "europe"));
		LockKey key = LockKeyExpressions.parse("ns", new String[] { "@regions[#region]" }, this.refresh)
			.evaluate(this.target, Service.class, new Object[] { 42L, "eu" }, new BeanFactoryResolver(beanFactory));
		assertThat(key).isEqualTo(LockKey.of("ns", "europe"));
	}

	@Test
	void nullValueIsAnErrorNamingTheExpressionAndMethod() {
		LockKeyExpressions expressions = LockKeyExpressions.parse("ns", new String[] { "#userId", "#region" },
				this.refresh);
		assertThatExceptionOfType(InvalidLockKeyException.class)
			.isThrownBy(() -> expressions.evaluate(this.target, Service.class, new Object[] { 42L, null }, null))
			.withMessageContaining("keys[1] '#region'")
			.withMessageContaining("Service.refresh(long, String)")
			.withMessageContaining("is null");
	}

	@Test
	void anExceptionOfAMethodTheExpressionCallsIsAnInvalidKeyNamingTheExpressionAndMethod() {
		LockKeyExpressions expressions = LockKeyExpressions.parse("ns", new String[] { "#region.substring(9)" },
				this.refresh);
		assertThatExceptionOfType(InvalidLockKeyException.class)
			.isThrownBy(() -> expressions.evaluate(this.target, Service.class, new Object[] { 42L, "eu" }, null))
			.withMessageContaining("keys[0] '#region.substring(9)'")
			.withMessageContaining("Service.refresh(long, String)")
			.withMessageContaining("StringIndexOutOfBoundsException");
	}

	@Test
	void aCollectionWithANullElementIsAnInvalidKeyNamingTheMethod() {
		LockKeyExpressions expressions = LockKeyExpressions.parse("ns", new String[] { "{#region, null}" },
				this.refresh);
		assertThatExceptionOfType(InvalidLockKeyException.class)
			.isThrownBy(() -> expressions.evaluate(this.target, Service.class, new Object[] { 42L, "eu" }, null))
			.withMessageContaining("Service.refresh(long, String)")
			.withMessageContaining("'{#region, null}'")
			.withMessageContaining("element 1")
			.withMessageContaining("is null");
	}

	@Test
	void failingExpressionIsAnErrorNamingTheExpressionAndMethod() {
		LockKeyExpressions expressions = LockKeyExpressions.parse("ns", new String[] { "#region.noSuchMethod()" },
				this.refresh);
		assertThatExceptionOfType(InvalidLockKeyException.class)
			.isThrownBy(() -> expressions.evaluate(this.target, Service.class, new Object[] { 42L, "eu" }, null))
			.withMessageContaining("keys[0] '#region.noSuchMethod()'")
			.withMessageContaining("Service.refresh(long, String)");
	}

	@Test
	void brokenSyntaxFailsWhenParsed() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LockKeyExpressions.parse("ns", new String[] { "#userId +" }, this.refresh))
			.withMessageContaining("keys[0] '#userId +'")
			.withMessageContaining("not a valid SpEL expression");
	}

	@Test
	void unknownVariableFailsWhenParsedAndListsTheKnownOnes() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LockKeyExpressions.parse("ns", new String[] { "#usrId" }, this.refresh))
			.withMessageContaining("references #usrId")
			.withMessageContaining("#userId")
			.withMessageContaining("#p0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LockKeyExpressions.parse("ns", new String[] { "#p2" }, this.refresh))
			.withMessageContaining("references #p2");
	}

	@Test
	void emptyExpressionIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LockKeyExpressions.parse("ns", new String[] { " " }, this.refresh))
			.withMessageContaining("keys[0]");
	}

	@Test
	void noExpressionsLockTheWholeNamespace() {
		assertThat(evaluate()).isEqualTo(LockKey.of("ns"));
	}

	public static class Service {

		String refresh(long userId, String region) {
			return region + userId;
		}

		public String tenant() {
			return "acme";
		}

	}

}
