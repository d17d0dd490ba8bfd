/**
 * Scenario: refresh a user's OAuth2 token at most once at a time, failing fast for
 * concurrent requests.
 */
@NullMarked
package dev.distlock.sample.token;

import org.jspecify.annotations.NullMarked;
