package dev.distlock.test.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@link AutoConfigureDistributedLock @AutoConfigureDistributedLock} in step with
 * the library: every lock auto-configuration is imported into test slices, except the
 * actuator's, which slices leave out; a new one fails this test until it is listed or
 * left out here on purpose.
 *
 * @author Distributed Lock team
 */
class AutoConfigureDistributedLockImportsTests {

	// By name: the test kit does not have the actuator on its class path.
	private static final List<String> LEFT_OUT_OF_SLICES = List.of(
			"dev.distlock.autoconfigure.health.DistributedLockHealthContributorAutoConfiguration",
			"dev.distlock.autoconfigure.endpoint.DistributedLocksEndpointAutoConfiguration");

	private final ClassLoader classLoader = getClass().getClassLoader();

	@Test
	void importsEveryLockAutoConfigurationButTheActuatorsAndTheRecordingStore() {
		List<String> library = new ArrayList<>();
		ImportCandidates.load(AutoConfiguration.class, this.classLoader).forEach((candidate) -> {
			if (candidate.startsWith("dev.distlock.")) {
				library.add(candidate);
			}
		});
		assertThat(library).isNotEmpty().containsAll(LEFT_OUT_OF_SLICES);
		library.removeAll(LEFT_OUT_OF_SLICES);
		List<String> expected = new ArrayList<>(library);
		expected.add(RecordingLockStoreAutoConfiguration.class.getName());
		assertThat(imported()).containsExactlyInAnyOrderElementsOf(expected);
	}

	@Test
	void everyImportedClassExists() {
		assertThat(imported()).isNotEmpty()
			.allSatisfy((className) -> assertThat(ClassUtils.isPresent(className, this.classLoader))
				.as("%s is on the class path", className)
				.isTrue());
	}

	private List<String> imported() {
		List<String> imported = new ArrayList<>();
		ImportCandidates.load(AutoConfigureDistributedLock.class, this.classLoader).forEach(imported::add);
		return imported;
	}

}
