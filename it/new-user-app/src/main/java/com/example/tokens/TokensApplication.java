package com.example.tokens;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class TokensApplication {

	public static void main(String[] args) {
		SpringApplication.run(TokensApplication.class, args);
	}

}
