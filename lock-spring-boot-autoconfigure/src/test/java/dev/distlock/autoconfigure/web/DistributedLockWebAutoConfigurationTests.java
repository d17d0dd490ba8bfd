package dev.distlock.autoconfigure.web;

import java.security.Principal;
import java.time.Duration;

import dev.distlock.annotation.DistributedLock;
import dev.distlock.autoconfigure.DistributedLockAutoConfiguration;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockNotAcquiredException;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Tests for {@link DistributedLockWebAutoConfiguration}: a held lock is answered 409
 * Conflict in real Spring MVC and WebFlux applications, without user code.
 *
 * @author Distributed Lock team
 */
@ExtendWith(OutputCaptureExtension.class)
class DistributedLockWebAutoConfigurationTests {

	private static final LockKey HELD = LockKey.of("token_refresh", 42);

	private final WebApplicationContextRunner mvcRunner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DistributedLockAutoConfiguration.class, DistributedLockWebAutoConfiguration.class,
						JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
						DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class))
		.withUserConfiguration(MvcApplication.class)
		.withPropertyValues("distributed-lock.store=in-memory");

	private final ReactiveWebApplicationContextRunner webFluxRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DistributedLockAutoConfiguration.class, DistributedLockWebAutoConfiguration.class,
						JacksonAutoConfiguration.class, CodecsAutoConfiguration.class, WebFluxAutoConfiguration.class,
						HttpHandlerAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class))
		.withUserConfiguration(WebFluxApplication.class)
		.withPropertyValues("distributed-lock.store=in-memory");

	@Test
	void mvcAnswersAHeldLockWithConflictNamingTheNamespaceOnly(CapturedOutput output) throws Exception {
		this.mvcRunner.run((context) -> {
			holdElsewhere(context.getBean(LockStore.class));
			mockMvc(context).perform(get("/tokens/42"))
				.andExpect(status().isConflict())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.status").value(409))
				.andExpect(jsonPath("$.title").value("Lock not acquired"))
				.andExpect(jsonPath("$.type").value("urn:distlock:problem:lock-not-acquired"))
				.andExpect(jsonPath("$.namespace").value("token_refresh"))
				.andExpect(
						jsonPath("$.detail").value("The lock 'token_refresh' is held by another caller; retry later."))
				.andExpect(jsonPath("$.key").doesNotExist())
				.andExpect(jsonPath("$.instance").value("/tokens/42"));
			mockMvc(context).perform(get("/tokens/7")).andExpect(status().isOk());
		});
		assertThat(output).doesNotContain("ERROR").doesNotContain("LockNotAcquiredException");
	}

	@Test
	void mvcNamesTheKeyWhenShowValuesIsAlways() {
		this.mvcRunner.withPropertyValues("management.endpoint.distributedlocks.show-values=always").run((context) -> {
			holdElsewhere(context.getBean(LockStore.class));
			mockMvc(context).perform(get("/tokens/42"))
				.andExpect(status().isConflict())
				.andExpect(jsonPath("$.key").value("token_refresh:42"))
				.andExpect(jsonPath("$.detail")
					.value("The lock 'token_refresh:42' is held by another caller; retry later."));
		});
	}

	@Test
	void mvcNamesTheKeyToAnAuthorizedCallerWhenShowValuesIsWhenAuthorized() {
		this.mvcRunner
			.withPropertyValues("management.endpoint.distributedlocks.show-values=when-authorized",
					"management.endpoint.distributedlocks.roles=OPS")
			.run((context) -> {
				holdElsewhere(context.getBean(LockStore.class));
				MockMvc mvc = mockMvc(context);
				mvc.perform(get("/tokens/42")).andExpect(jsonPath("$.key").doesNotExist());
				Principal alice = () -> "alice";
				mvc.perform(get("/tokens/42").principal(alice)).andExpect(jsonPath("$.key").doesNotExist());
				mvc.perform(get("/tokens/42").principal(alice).with((request) -> {
					request.addUserRole("OPS");
					return request;
				})).andExpect(status().isConflict()).andExpect(jsonPath("$.key").value("token_refresh:42"));
			});
	}

	@Test
	void mvcWithoutTheActuatorNeverNamesTheKey() {
		this.mvcRunner.withPropertyValues("management.endpoint.distributedlocks.show-values=always")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> {
				holdElsewhere(context.getBean(LockStore.class));
				mockMvc(context).perform(get("/tokens/42"))
					.andExpect(status().isConflict())
					.andExpect(jsonPath("$.namespace").value("token_refresh"))
					.andExpect(jsonPath("$.key").doesNotExist());
			});
	}

	@Test
	void mvcLetsTheApplicationsOwnHandlerWin() {
		this.mvcRunner.withUserConfiguration(MvcOwnHandler.class).run((context) -> {
			holdElsewhere(context.getBean(LockStore.class));
			mockMvc(context).perform(get("/tokens/42")).andExpect(status().isLocked());
		});
	}

	@Test
	void mvcLetsTheApplicationsCatchAllHandlerWin() {
		this.mvcRunner.withUserConfiguration(MvcCatchAllHandler.class).run((context) -> {
			holdElsewhere(context.getBean(LockStore.class));
			mockMvc(context).perform(get("/tokens/42")).andExpect(status().isServiceUnavailable());
		});
	}

	@Test
	void mvcWithoutTheAutoConfigurationLetsTheExceptionThrough() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class,
					JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
					DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class))
			.withUserConfiguration(MvcApplication.class)
			.withPropertyValues("distributed-lock.store=in-memory")
			.run((context) -> {
				holdElsewhere(context.getBean(LockStore.class));
				MockMvc mvc = mockMvc(context);
				assertThatException().isThrownBy(() -> mvc.perform(get("/tokens/42")))
					.withRootCauseInstanceOf(LockNotAcquiredException.class);
			});
	}

	@Test
	void webFluxAnswersAHeldLockWithConflictNamingTheNamespaceOnly(CapturedOutput output) {
		this.webFluxRunner.run((context) -> {
			holdElsewhere(context.getBean(LockStore.class));
			webTestClient(context).get()
				.uri("/tokens/42")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.CONFLICT)
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo(409)
				.jsonPath("$.title")
				.isEqualTo("Lock not acquired")
				.jsonPath("$.namespace")
				.isEqualTo("token_refresh")
				.jsonPath("$.key")
				.doesNotExist()
				.jsonPath("$.instance")
				.isEqualTo("/tokens/42");
			webTestClient(context).get().uri("/tokens/7").exchange().expectStatus().isOk();
		});
		assertThat(output).doesNotContain("ERROR").doesNotContain("LockNotAcquiredException");
	}

	@Test
	void webFluxNamesTheKeyWhenShowValuesIsAlways() {
		this.webFluxRunner.withPropertyValues("management.endpoint.distributedlocks.show-values=always")
			.run((context) -> {
				holdElsewhere(context.getBean(LockStore.class));
				webTestClient(context).get()
					.uri("/tokens/42")
					.exchange()
					.expectStatus()
					.isEqualTo(HttpStatus.CONFLICT)
					.expectBody()
					.jsonPath("$.key")
					.isEqualTo("token_refresh:42");
			});
	}

	@Test
	void webFluxLetsTheApplicationsOwnHandlerWin() {
		this.webFluxRunner.withUserConfiguration(WebFluxOwnHandler.class).run((context) -> {
			holdElsewhere(context.getBean(LockStore.class));
			webTestClient(context).get().uri("/tokens/42").exchange().expectStatus().isEqualTo(HttpStatus.LOCKED);
		});
	}

	@Test
	void webFluxWithoutTheAutoConfigurationAnswersAServerErrorLoggedAsAnError(CapturedOutput output) {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class,
					JacksonAutoConfiguration.class, CodecsAutoConfiguration.class, WebFluxAutoConfiguration.class,
					HttpHandlerAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class))
			.withUserConfiguration(WebFluxApplication.class)
			.withPropertyValues("distributed-lock.store=in-memory")
			.run((context) -> {
				holdElsewhere(context.getBean(LockStore.class));
				webTestClient(context).get().uri("/tokens/42").exchange().expectStatus().is5xxServerError();
			});
		assertThat(output).contains("ERROR").contains("LockNotAcquiredException");
	}

	@Test
	void whenNotAWebApplicationShouldNotCreateAHandler() {
		new org.springframework.boot.test.context.runner.ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class,
					DistributedLockWebAutoConfiguration.class))
			.withPropertyValues("distributed-lock.store=in-memory")
			.run((context) -> assertThat(context).doesNotHaveBean(LockNotAcquiredExceptionHandler.class)
				.doesNotHaveBean(ReactiveLockNotAcquiredExceptionHandler.class));
	}

	@Test
	void whenDistributedLocksAreDisabledShouldNotCreateAHandler() {
		this.mvcRunner.withPropertyValues("distributed-lock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LockNotAcquiredExceptionHandler.class));
	}

	private static void holdElsewhere(LockStore store) {
		assertThat(LockStores.acquire(store, HELD, "another-instance", Duration.ofMinutes(1))).isPresent();
	}

	private static MockMvc mockMvc(AssertableWebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context).build();
	}

	private static WebTestClient webTestClient(AssertableReactiveWebApplicationContext context) {
		return WebTestClient.bindToApplicationContext(context).build();
	}

	@Configuration(proxyBeanMethods = false)
	static class MvcApplication {

		@Bean
		TokenService tokenService() {
			return new TokenService();
		}

		@Bean
		TokenController tokenController(TokenService tokenService) {
			return new TokenController(tokenService);
		}

	}

	@RestController
	static class TokenController {

		private final TokenService tokenService;

		TokenController(TokenService tokenService) {
			this.tokenService = tokenService;
		}

		@GetMapping("/tokens/{user}")
		String refresh(@PathVariable long user) {
			return this.tokenService.refresh(user);
		}

	}

	// Public: the test without the actuator proxies it from a filtering class loader.
	public static class TokenService {

		@DistributedLock(namespace = "token_refresh", keys = "#user")
		public String refresh(long user) {
			return "token-" + user;
		}

		@DistributedLock(namespace = "token_refresh", keys = "#user")
		public Mono<String> refreshReactively(long user) {
			return Mono.just("token-" + user);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MvcOwnHandler {

		@Bean
		OwnHandler ownHandler() {
			return new OwnHandler();
		}

	}

	@RestControllerAdvice
	static class OwnHandler {

		@ExceptionHandler
		ResponseEntity<String> lockHeld(LockNotAcquiredException ex) {
			return ResponseEntity.status(HttpStatus.LOCKED).body("locked");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MvcCatchAllHandler {

		@Bean
		CatchAllHandler catchAllHandler() {
			return new CatchAllHandler();
		}

	}

	@RestControllerAdvice
	static class CatchAllHandler {

		@ExceptionHandler
		ResponseEntity<String> anything(Exception ex) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("unavailable");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WebFluxApplication {

		@Bean
		TokenService tokenService() {
			return new TokenService();
		}

		@Bean
		ReactiveTokenController reactiveTokenController(TokenService tokenService) {
			return new ReactiveTokenController(tokenService);
		}

	}

	@RestController
	static class ReactiveTokenController {

		private final TokenService tokenService;

		ReactiveTokenController(TokenService tokenService) {
			this.tokenService = tokenService;
		}

		@GetMapping("/tokens/{user}")
		Mono<String> refresh(@PathVariable long user) {
			return this.tokenService.refreshReactively(user);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WebFluxOwnHandler {

		@Bean
		OwnHandler ownHandler() {
			return new OwnHandler();
		}

	}

}
