package dev.distlock.test.autoconfigure.jdbc;

import dev.distlock.annotation.DistributedLock;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deposits into accounts, one at a time per account: the lock is taken before the
 * transaction begins and released after it commits.
 *
 * @author Distributed Lock team
 */
@Service
public class AccountService {

	private final AccountRepository accounts;

	AccountService(AccountRepository accounts) {
		this.accounts = accounts;
	}

	@DistributedLock(namespace = "account", keys = "#accountId", waitTime = "30s")
	@Transactional
	public long deposit(long accountId, long amount) {
		Account account = this.accounts.findById(accountId).orElseGet(() -> Account.open(accountId));
		account.deposit(amount);
		return this.accounts.save(account).getBalance();
	}

}
