package dev.distlock.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link LockSettings} and {@link LockOptions}.
 *
 * @author Distributed Lock team
 */
class LockSettingsTests {

	@Test
	void explicitOptionsWinOverNamespaceOverridesWhichWinOverDefaults() {
		LockSettings settings = LockSettings.builder()
			.waitTime(Duration.ofSeconds(1))
			.leaseTime(Duration.ofSeconds(10))
			.namespace("reports", new LockSettings.NamespaceOverrides(Duration.ofSeconds(5), null, false))
			.build();
		LockOptions reports = settings.resolve("reports", LockOptions.defaults());
		assertThat(reports.getWaitTime()).isEqualTo(Duration.ofSeconds(5));
		assertThat(reports.getLeaseTime()).isEqualTo(Duration.ofSeconds(10));
		assertThat(reports.getAutoRenew()).isFalse();
		assertThat(reports.getLockAtLeastFor()).isZero();
		LockOptions explicit = settings.resolve("reports",
				LockOptions.builder().waitTime(Duration.ZERO).autoRenew(true).build());
		assertThat(explicit.getWaitTime()).isZero();
		assertThat(explicit.getAutoRenew()).isTrue();
		LockOptions other = settings.resolve("other", LockOptions.defaults());
		assertThat(other.getWaitTime()).isEqualTo(Duration.ofSeconds(1));
		assertThat(other.getAutoRenew()).isTrue();
	}

	@Test
	void libraryDefaultsFailFastWithAThirtySecondLease() {
		LockOptions options = LockSettings.defaults().resolve("any", LockOptions.defaults());
		assertThat(options.getWaitTime()).isZero();
		assertThat(options.getLeaseTime()).isEqualTo(Duration.ofSeconds(30));
		assertThat(options.getAutoRenew()).isTrue();
		assertThat(LockSettings.defaults().isReentrant()).isTrue();
		assertThat(LockSettings.defaults().getLeaseLostPolicy()).isEqualTo(LeaseLostPolicy.LOG);
	}

	@Test
	void wrongDurationsAreRejectedWithTheirName() {
		assertThatIllegalArgumentException().isThrownBy(() -> LockOptions.builder().waitTime(Duration.ofSeconds(-1)))
			.withMessageContaining("waitTime");
		assertThatIllegalArgumentException().isThrownBy(() -> LockOptions.builder().leaseTime(Duration.ZERO))
			.withMessageContaining("leaseTime");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LockSettings.NamespaceOverrides(null, Duration.ofMillis(-5), null))
			.withMessageContaining("leaseTime");
	}

}
