package dev.distlock.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The application on a random port, with the scenarios' durations shortened for tests.
 * Every scenario test uses this one annotation so that they share one cached application
 * context (and one embedded database: each test uses its own keys).
 *
 * @author Distributed Lock team
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "sample.token.provider-latency=500ms",
		"sample.processing.duration=2s", "sample.report.computation-time=1s", "sample.inventory.lease-time=300ms" })
public @interface SampleApplicationTest {

}
