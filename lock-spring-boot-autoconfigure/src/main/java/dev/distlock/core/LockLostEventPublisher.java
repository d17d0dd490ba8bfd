package dev.distlock.core;

import org.springframework.context.ApplicationEventPublisher;

/**
 * A {@link LockListener} that publishes a {@link LockLostEvent} for every lost lease.
 *
 * @author Distributed Lock team
 */
public class LockLostEventPublisher implements LockListener {

	private final ApplicationEventPublisher publisher;

	/**
	 * Create a new publisher.
	 * @param publisher where to publish
	 */
	public LockLostEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onLost(LockAttempt attempt, Lease lease) {
		this.publisher.publishEvent(new LockLostEvent(this, lease.key(), lease.fencingToken(), attempt.store()));
	}

}
