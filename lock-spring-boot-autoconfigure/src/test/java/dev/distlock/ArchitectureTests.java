package dev.distlock;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaFieldAccess.AccessType;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaParameter;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.properties.HasAnnotations;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.util.ResourceUtils;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The conventions of the code base, as tests: the package rules (feature packages never
 * depend on the auto-configuration, the API on no implementation, the stores on neither
 * the advice nor observability), and those of Spring Boot's own architecture rules that
 * apply to a library of auto-configurations. Every rule selects classes that exist, so
 * none can pass by checking nothing.
 *
 * @author Distributed Lock team
 */
class ArchitectureTests {

	private static final String BEAN = "org.springframework.context.annotation.Bean";

	private static final String AUTO_CONFIGURATION = "org.springframework.boot.autoconfigure.AutoConfiguration";

	private static final String CONFIGURATION_PROPERTIES = "org.springframework.boot.context.properties.ConfigurationProperties";

	private static final String CONDITIONAL_ON_MISSING_BEAN = "org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean";

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.distlock");

	// The packages of this library

	@Test
	void featurePackagesDoNotDependOnAutoConfiguration() {
		noClasses().that()
			.resideOutsideOfPackage("dev.distlock.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.distlock.autoconfigure..")
			.check(classes);
	}

	@Test
	void apiDoesNotDependOnImplementations() {
		noClasses().that()
			.resideInAnyPackage("dev.distlock.core..", "dev.distlock.annotation..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.distlock.aop..", "dev.distlock.expression..", "dev.distlock.redis..",
					"dev.distlock.jdbc..", "dev.distlock.memory..", "dev.distlock.metrics..", "dev.distlock.actuate..")
			.check(classes);
	}

	@Test
	void storesDoNotDependOnTheAdviceOrObservability() {
		for (String store : new String[] { "redis", "jdbc", "memory" }) {
			noClasses().that()
				.resideInAPackage("dev.distlock." + store + "..")
				.should()
				.dependOnClassesThat()
				.resideInAnyPackage("dev.distlock.aop..", "dev.distlock.expression..", "dev.distlock.metrics..",
						"dev.distlock.actuate..")
				.check(classes);
		}
	}

	@Test
	void packagesAreFreeOfCycles() {
		SlicesRuleDefinition.slices().matching("dev.distlock.(**)").should().beFreeOfCycles().check(classes);
	}

	// Spring Boot's rules for auto-configurations

	@Test
	void autoConfigurationClassesArePublicAndFinal() {
		classes().that()
			.areAnnotatedWith(AUTO_CONFIGURATION)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL)
			.check(classes);
	}

	@Test
	void autoConfigurationClassesHaveNoPublicMembers() {
		members().that()
			.areDeclaredInClassesThat()
			.areAnnotatedWith(AUTO_CONFIGURATION)
			.should(check("not be public, except a default constructor or a constant", (member, events) -> {
				if (member.getModifiers().contains(JavaModifier.PUBLIC) && !isDefaultConstructor(member)
						&& !isConstant(member)) {
					violation(events, member, member.getDescription() + " is public");
				}
			}))
			.check(classes);
	}

	@Test
	void conditionsAreNotPublic() {
		noClasses().that()
			.areAssignableTo("org.springframework.boot.autoconfigure.condition.SpringBootCondition")
			.should()
			.bePublic()
			.check(classes);
	}

	@Test
	void beanMethodsDoNotReturnPrivateTypes() {
		methods().that()
			.areAnnotatedWith(BEAN)
			.should(check("not return a private type, which AOT processing cannot reach", (method, events) -> {
				if (method.getRawReturnType().getModifiers().contains(JavaModifier.PRIVATE)) {
					violation(events, method, method.getDescription() + " returns a private type");
				}
			}))
			.check(classes);
	}

	@Test
	void beanMethodsAreNotConditionalOnClass() {
		methods().that()
			.areAnnotatedWith(BEAN)
			.should()
			.notBeAnnotatedWith("org.springframework.boot.autoconfigure.condition.ConditionalOnClass")
			.because("the method's signature is loaded before the condition could back off: put the condition "
					+ "on a @Configuration class")
			.check(classes);
	}

	@Test
	void beanPostProcessorsAreStaticBeansThatDoNotInitializeOtherBeansEarly() {
		methods().that()
			.areAnnotatedWith(BEAN)
			.should(check("be static and take only parameters that do not initialize beans early when returning "
					+ "a BeanPostProcessor", (method, events) -> {
						if (!method.getRawReturnType()
							.isAssignableTo("org.springframework.beans.factory.config.BeanPostProcessor")) {
							return;
						}
						if (!method.getModifiers().contains(JavaModifier.STATIC)) {
							violation(events, method, method.getDescription() + " is not static");
						}
						for (JavaParameter parameter : method.getParameters()) {
							if (!isSafeForEarlyInitialization(method, parameter)) {
								violation(events, parameter, parameter.getDescription() + " of "
										+ method.getDescription() + " initializes a bean before post-processing");
							}
						}
					}))
			.check(classes);
	}

	@Test
	void beanFactoryPostProcessorsAreStaticBeansThatTakeOnlyTheEnvironment() {
		methods().that()
			.areAnnotatedWith(BEAN)
			.should(check("be static and take only the Environment when returning a BeanFactoryPostProcessor",
					(method, events) -> {
						if (!method.getRawReturnType()
							.isAssignableTo("org.springframework.beans.factory.config.BeanFactoryPostProcessor")) {
							return;
						}
						if (!method.getModifiers().contains(JavaModifier.STATIC) || method.getParameters()
							.stream()
							.anyMatch((parameter) -> !parameter.getRawType().isEquivalentTo(Environment.class))) {
							violation(events, method,
									method.getDescription() + " should be static and take only the Environment");
						}
					}))
			.check(classes);
	}

	@Test
	void conditionalOnMissingBeanDoesNotRepeatTheReturnType() {
		methods().that()
			.areAnnotatedWith(BEAN)
			.should(check("not name only its own return type in @ConditionalOnMissingBean (that is the default)",
					(method, events) -> {
						if (!method.isAnnotatedWith(CONDITIONAL_ON_MISSING_BEAN)) {
							return;
						}
						JavaAnnotation<JavaMethod> annotation = method.getAnnotationOfType(CONDITIONAL_ON_MISSING_BEAN);
						Object value = annotation.get("value").orElse(new JavaType[0]);
						JavaType[] types = (JavaType[]) value;
						if (types.length == 1 && types[0].equals(method.getRawReturnType())
								&& isEmpty(annotation.get("type").orElse(null))
								&& isEmpty(annotation.get("name").orElse(null))) {
							violation(events, method, annotation.getDescription() + " on " + method.getDescription()
									+ " repeats the return type");
						}
					}))
			.check(classes);
	}

	// Spring Boot's rules for configuration properties

	@Test
	void configurationPropertiesNameTheirPrefixAsValue() {
		classes().that()
			.areAnnotatedWith(CONFIGURATION_PROPERTIES)
			.should(check("name their prefix with 'value', not 'prefix'", (type, events) -> {
				JavaAnnotation<JavaClass> annotation = type.getAnnotationOfType(CONFIGURATION_PROPERTIES);
				if (!isEmpty(annotation.get("prefix").orElse(null))) {
					violation(events, type, annotation.getDescription() + " should use value");
				}
			}))
			.check(classes);
	}

	@Test
	void mapAndSetPropertiesKeepTheirOrder() {
		Map<String, List<String>> allowed = Map.of("java.util.Map",
				List.of("java.util.LinkedHashMap", "java.util.EnumMap"), "java.util.Set",
				List.of("java.util.LinkedHashSet"));
		classes().that()
			.areAnnotatedWith(CONFIGURATION_PROPERTIES)
			.or()
			.areNestedClasses()
			.and()
			.resideInAPackage("dev.distlock.autoconfigure..")
			.should(check("initialize Map properties with LinkedHashMap or EnumMap and Set properties with "
					+ "LinkedHashSet", (type, events) -> {
						for (JavaField field : type.getFields()) {
							List<String> implementations = allowed.get(field.getRawType().getName());
							if (implementations == null) {
								continue;
							}
							field.getAccessesToSelf()
								.stream()
								.filter((access) -> access.getAccessType() == AccessType.SET)
								.flatMap((access) -> access.getOrigin()
									.getConstructorCallsFromSelf()
									.stream()
									.filter((call) -> call.getLineNumber() == access.getLineNumber()))
								.filter((call) -> !implementations.contains(call.getTargetOwner().getName()))
								.forEach((call) -> violation(events, field, field.getDescription()
										+ " is initialized with " + call.getTargetOwner().getName()));
						}
					}))
			.check(classes);
	}

	// Spring Boot's rules for everyday code

	@Test
	void caseConversionsNameTheirLocale() {
		noClasses().should()
			.callMethod(String.class, "toLowerCase")
			.orShould()
			.callMethod(String.class, "toUpperCase")
			.because("the default locale changes the result (Turkish 'I'): use toLowerCase(Locale.ROOT)")
			.check(classes);
	}

	@Test
	void streamsAreCollectedWithToList() {
		noClasses().should()
			.callMethod(Collectors.class, "toList")
			.because("Stream.toList() should be used instead")
			.check(classes);
	}

	@Test
	void urlsAreEncodedWithACharset() {
		noClasses().should()
			.callMethod(URLEncoder.class, "encode", String.class, String.class)
			.orShould()
			.callMethod(URLDecoder.class, "decode", String.class, String.class)
			.because("the Charset variants should be used instead")
			.check(classes);
	}

	@Test
	void resourcesAreNotLoadedAsFilesOrUrls() {
		noClasses().should()
			.callMethod(ResourceUtils.class, "getFile", String.class)
			.orShould()
			.callMethod(ResourceUtils.class, "getURL", String.class)
			.because("a resource inside a jar or a native image is neither a file nor a URL: use a Resource")
			.check(classes);
	}

	private static boolean isSafeForEarlyInitialization(JavaMethod method, JavaParameter parameter) {
		JavaClass type = parameter.getRawType();
		if (parameter.isAnnotatedWith("org.springframework.context.annotation.Lazy")
				|| type.isAssignableTo("org.springframework.beans.factory.ObjectProvider")
				|| type.isAssignableTo("org.springframework.context.ApplicationContext")
				|| type.isAssignableTo("org.springframework.core.env.Environment")) {
			return true;
		}
		// An infrastructure bean, created early on purpose, by its class or by the bean
		// method of the same configuration that defines it.
		return isInfrastructure(type) || method.getOwner()
			.getMethods()
			.stream()
			.filter((candidate) -> candidate.isAnnotatedWith(BEAN))
			.filter((candidate) -> candidate.getRawReturnType().equals(type))
			.anyMatch(ArchitectureTests::isInfrastructure);
	}

	private static boolean isInfrastructure(HasAnnotations<?> annotated) {
		if (!annotated.isAnnotatedWith(Role.class)) {
			return false;
		}
		Object value = annotated.getAnnotationOfType(Role.class.getName()).get("value").orElse(null);
		return value instanceof Integer role && role == BeanDefinition.ROLE_INFRASTRUCTURE;
	}

	private static boolean isDefaultConstructor(JavaMember member) {
		return member instanceof JavaConstructor constructor && constructor.getParameters().isEmpty();
	}

	private static boolean isConstant(JavaMember member) {
		Set<JavaModifier> modifiers = member.getModifiers();
		return member instanceof JavaField && modifiers.contains(JavaModifier.STATIC)
				&& modifiers.contains(JavaModifier.FINAL);
	}

	private static boolean isEmpty(Object value) {
		if (value == null) {
			return true;
		}
		return value.getClass().isArray() ? ((Object[]) value).length == 0 : value.toString().isEmpty();
	}

	private static <T> ArchCondition<T> check(String description, BiConsumer<T, ConditionEvents> check) {
		return new ArchCondition<>(description) {

			@Override
			public void check(T item, ConditionEvents events) {
				check.accept(item, events);
			}

		};
	}

	private static void violation(ConditionEvents events, Object item, String message) {
		events.add(SimpleConditionEvent.violated(item, message));
	}

}
