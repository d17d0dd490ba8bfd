package com.example.tokens;

import java.time.LocalDate;

import dev.distlock.annotation.DistributedLock;

import org.springframework.stereotype.Service;

@Service
public class TokenService {

	private final IdentityProvider identityProvider;

	TokenService(IdentityProvider identityProvider) {
		this.identityProvider = identityProvider;
	}

	/**
	 * Refresh a user's token: one refresh per user at a time across every instance; a
	 * second one while the first runs fails at once.
	 */
	@DistributedLock(namespace = "token_refresh", keys = "#userId")
	public String refresh(long userId) {
		return this.identityProvider.issueToken(userId);
	}

	/**
	 * Compute a day's usage report: one computation per day at a time; callers that come
	 * meanwhile wait for their turn.
	 */
	@DistributedLock(namespace = "usage_report", keys = "#day", waitTime = "30s")
	public String report(LocalDate day) throws InterruptedException {
		Thread.sleep(5); // the report's queries
		return "usage report of " + day;
	}

}
