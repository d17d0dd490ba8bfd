package dev.distlock.sample.token;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the token refresh scenario.
 *
 * @param providerLatency how long the simulated identity provider takes to refresh a
 * token
 * @param lifetime how long a refreshed access token stays valid
 * @author Distributed Lock team
 */
@ConfigurationProperties("sample.token")
public record TokenProperties(@DefaultValue("500ms") Duration providerLatency, @DefaultValue("5m") Duration lifetime) {

}
