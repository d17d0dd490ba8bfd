package com.example.tokens;

import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * Issues made-up tokens, standing in for a real identity provider.
 */
@Component
class DemoIdentityProvider implements IdentityProvider {

	@Override
	public String issueToken(long userId) {
		return userId + ":" + UUID.randomUUID();
	}

}
