package dev.distlock.test.autoconfigure.webmvc;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.distlock.annotation.DistributedLock;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

/**
 * A token refresh that must run once at a time per user. A test can make the next refresh
 * wait, so that it holds the lock while another request comes.
 *
 * @author Distributed Lock team
 */
@Service
public class TokenService {

	private final AtomicInteger refreshes = new AtomicInteger();

	private final AtomicReference<@Nullable CountDownLatch> gate = new AtomicReference<>();

	@DistributedLock(namespace = "token_refresh", keys = "#userId")
	public String refresh(long userId) throws InterruptedException {
		CountDownLatch holdUntil = this.gate.getAndSet(null);
		if (holdUntil != null && !holdUntil.await(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("The test never opened the gate");
		}
		return "token-" + userId + "-" + this.refreshes.incrementAndGet();
	}

	/**
	 * Make the next refresh wait until the latch opens.
	 * @param latch the latch the refresh waits for
	 */
	void holdNextRefreshUntil(CountDownLatch latch) {
		this.gate.set(latch);
	}

}
