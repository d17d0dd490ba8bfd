package com.example.tokens;

import java.time.LocalDate;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TokenController {

	private final TokenService tokens;

	TokenController(TokenService tokens) {
		this.tokens = tokens;
	}

	@PostMapping("/users/{userId}/token")
	String refresh(@PathVariable long userId) {
		return this.tokens.refresh(userId);
	}

	@PostMapping("/reports/{day}")
	String report(@PathVariable LocalDate day) throws InterruptedException {
		return this.tokens.report(day);
	}

}
