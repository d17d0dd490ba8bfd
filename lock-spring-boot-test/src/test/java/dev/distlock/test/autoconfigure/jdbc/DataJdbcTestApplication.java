package dev.distlock.test.autoconfigure.jdbc;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application of the JDBC slice tests: accounts in a Spring Data JDBC repository and
 * a locked service that changes their balance.
 *
 * @author Distributed Lock team
 */
@SpringBootApplication
class DataJdbcTestApplication {

}
