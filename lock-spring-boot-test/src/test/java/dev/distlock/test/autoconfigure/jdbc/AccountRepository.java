package dev.distlock.test.autoconfigure.jdbc;

import org.springframework.data.repository.CrudRepository;

/**
 * The accounts.
 *
 * @author Distributed Lock team
 */
public interface AccountRepository extends CrudRepository<Account, Long> {

}
