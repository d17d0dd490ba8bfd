package dev.distlock.test.autoconfigure.redis;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application of the Redis slice tests: a locked counter kept in Redis.
 *
 * @author Distributed Lock team
 */
@SpringBootApplication
class DataRedisTestApplication {

}
