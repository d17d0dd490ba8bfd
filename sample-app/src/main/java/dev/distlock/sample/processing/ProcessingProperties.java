package dev.distlock.sample.processing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the data processing scenario.
 *
 * @param duration how long processing one table takes
 * @author Distributed Lock team
 */
@ConfigurationProperties("sample.processing")
public record ProcessingProperties(@DefaultValue("2s") Duration duration) {

}
