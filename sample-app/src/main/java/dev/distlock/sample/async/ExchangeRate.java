package dev.distlock.sample.async;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An exchange rate fetched from a (simulated) remote rates service.
 *
 * @param currency the currency, such as {@code EUR}
 * @param rate how many of it one US dollar buys
 * @param fetchedAt when it was fetched
 * @param fetchedBy the thread that fetched it, to show that no request thread waited
 * @author Distributed Lock team
 */
public record ExchangeRate(String currency, BigDecimal rate, Instant fetchedAt, String fetchedBy) {

}
