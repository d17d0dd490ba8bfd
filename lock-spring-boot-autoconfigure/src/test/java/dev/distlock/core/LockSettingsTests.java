package dev.distlock.core;

import java.time.Duration;

import dev.distlock.annotation.OnFailure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link LockSettings}, {@link LockOptions} and {@link Durations}.
 *
 * @author Distributed Lock team
 */
class LockSettingsTests {

	@Test
	void explicitOptionsWinOverNamespaceSettingsWhichWinOverDefaults() {
		LockSettings settings = LockSettings.builder()
			.waitTime(Duration.ofSeconds(1))
			.leaseTime(Duration.ofSeconds(10))
			.namespace("reports", new LockSettings.NamespaceSettings(Duration.ofSeconds(5), null, false, null, null))
			.build();
		LockSettings.Resolved reports = settings.resolve("reports", LockOptions.defaults());
		assertThat(reports.waitTime()).isEqualTo(Duration.ofSeconds(5));
		assertThat(reports.leaseTime()).isEqualTo(Duration.ofSeconds(10));
		assertThat(reports.autoRenew()).isFalse();
		assertThat(reports.lockAtLeastFor()).isZero();
		LockSettings.Resolved explicit = settings.resolve("reports",
				LockOptions.builder().waitTime(Duration.ZERO).autoRenew(true).build());
		assertThat(explicit.waitTime()).isZero();
		assertThat(explicit.autoRenew()).isTrue();
		LockSettings.Resolved other = settings.resolve("other", LockOptions.defaults());
		assertThat(other.waitTime()).isEqualTo(Duration.ofSeconds(1));
		assertThat(other.autoRenew()).isTrue();
	}

	@Test
	void failureModeResolvesFromTheAnnotationThenTheNamespaceThenTheDefault() {
		LockSettings settings = LockSettings.builder()
			.onFailure(OnFailure.SKIP)
			.namespace("strict", new LockSettings.NamespaceSettings(null, null, null, OnFailure.THROW, null))
			.build();
		assertThat(settings.resolve("any", LockOptions.defaults()).onFailure()).isEqualTo(OnFailure.SKIP);
		assertThat(settings.resolve("strict", LockOptions.defaults()).onFailure()).isEqualTo(OnFailure.THROW);
		assertThat(settings.resolve("strict", LockOptions.defaults(), OnFailure.SKIP).onFailure())
			.isEqualTo(OnFailure.SKIP);
		assertThat(LockSettings.defaults().resolve("any", LockOptions.defaults()).onFailure())
			.isEqualTo(OnFailure.THROW);
	}

	@Test
	void namespaceSettingsMatchIgnoringCaseAndSeparators() {
		LockSettings settings = LockSettings.builder()
			.namespace("tokenrefresh",
					new LockSettings.NamespaceSettings(Duration.ofSeconds(2), null, null, null, true))
			.namespace("TOKENSERVICEREFRESH",
					new LockSettings.NamespaceSettings(null, Duration.ofMinutes(1), null, null, null))
			.build();
		assertThat(settings.resolve("token_refresh", LockOptions.defaults()).waitTime())
			.isEqualTo(Duration.ofSeconds(2));
		assertThat(settings.resolve("token-refresh", LockOptions.defaults()).fair()).isTrue();
		assertThat(settings.resolve("TokenService.refresh", LockOptions.defaults()).leaseTime())
			.isEqualTo(Duration.ofMinutes(1));
		assertThat(settings.resolve("token_refresh_other", LockOptions.defaults()).waitTime()).isZero();
		assertThat(settings.configuredName("Token.Refresh")).isEqualTo("tokenrefresh");
		assertThat(LockSettings.matchingName("Token_Service.re-fresh")).isEqualTo("tokenservicerefresh");
	}

	@Test
	void twoSettingsForTheSameNamespacesAreRejected() {
		LockSettings.NamespaceSettings none = new LockSettings.NamespaceSettings(null, null, null, null, null);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LockSettings.builder().namespace("token-refresh", none).namespace("token_refresh", none))
			.withMessageContaining("'token-refresh' and 'token_refresh'");
	}

	@Test
	void libraryDefaultsFailFastWithAThirtySecondLease() {
		LockSettings.Resolved options = LockSettings.defaults().resolve("any", LockOptions.defaults());
		assertThat(options.waitTime()).isZero();
		assertThat(options.leaseTime()).isEqualTo(Duration.ofSeconds(30));
		assertThat(options.autoRenew()).isTrue();
		assertThat(options.fair()).isFalse();
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
			.isThrownBy(() -> new LockSettings.NamespaceSettings(null, Duration.ofMillis(-5), null, null, null))
			.withMessageContaining("leaseTime");
		assertThat(Durations.Rule.POSITIVE.violation(Duration.ZERO)).isEqualTo("must be positive");
		assertThat(Durations.Rule.NOT_NEGATIVE.violation(Duration.ZERO)).isNull();
	}

}
