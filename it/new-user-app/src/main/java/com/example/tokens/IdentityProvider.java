package com.example.tokens;

/**
 * The identity provider that issues tokens: slow, rate-limited, and confused by two
 * refreshes of one user at the same time.
 */
public interface IdentityProvider {

	String issueToken(long userId);

}
