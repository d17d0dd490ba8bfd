package dev.distlock.test.autoconfigure.redis;

import dev.distlock.annotation.DistributedLock;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * Counts visits of a page by reading the count and writing it back: visits are lost
 * unless one count runs at a time per page.
 *
 * @author Distributed Lock team
 */
@Service
public class VisitCounter {

	private final StringRedisTemplate redis;

	VisitCounter(StringRedisTemplate redis) {
		this.redis = redis;
	}

	@DistributedLock(namespace = "visits", keys = "#page", waitTime = "30s")
	public long visit(String page) {
		String current = this.redis.opsForValue().get(countKey(page));
		long next = ((current != null) ? Long.parseLong(current) : 0) + 1;
		this.redis.opsForValue().set(countKey(page), Long.toString(next));
		return next;
	}

	long count(String page) {
		String current = this.redis.opsForValue().get(countKey(page));
		return (current != null) ? Long.parseLong(current) : 0;
	}

	private static String countKey(String page) {
		return "test-kit:visits:" + page;
	}

}
