package dev.distlock.test.autoconfigure.jdbc;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Transient;
import org.springframework.data.domain.Persistable;
import org.springframework.data.relational.core.mapping.Table;

/**
 * An account whose balance is read, changed and written back: lost updates unless one
 * change runs at a time.
 *
 * @author Distributed Lock team
 */
@Table
public class Account implements Persistable<Long> {

	@Id
	private final Long id;

	private long balance;

	@Transient
	private final boolean isNew;

	@PersistenceCreator
	Account(Long id, long balance) {
		this(id, balance, false);
	}

	private Account(Long id, long balance, boolean isNew) {
		this.id = id;
		this.balance = balance;
		this.isNew = isNew;
	}

	static Account open(long id) {
		return new Account(id, 0, true);
	}

	@Override
	public Long getId() {
		return this.id;
	}

	public long getBalance() {
		return this.balance;
	}

	void deposit(long amount) {
		this.balance += amount;
	}

	@Override
	public boolean isNew() {
		return this.isNew;
	}

}
