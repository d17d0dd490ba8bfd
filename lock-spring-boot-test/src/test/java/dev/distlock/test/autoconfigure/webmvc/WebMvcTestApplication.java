package dev.distlock.test.autoconfigure.webmvc;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application of the web slice tests: a controller and the locked service behind it.
 *
 * @author Distributed Lock team
 */
@SpringBootApplication
class WebMvcTestApplication {

}
