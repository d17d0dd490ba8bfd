package dev.distlock;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The package rules of STYLE.md, as tests: feature packages never depend on the
 * auto-configuration, and the API does not depend on any implementation.
 *
 * @author Distributed Lock team
 */
class ArchitectureTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.distlock");

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
				.allowEmptyShould(true)
				.check(classes);
		}
	}

}
