package dev.distlock.faults.node;

import dev.distlock.core.LockLostEvent;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * Reports the application's own events: a lost lease as the library publishes it, and the
 * start of a context close (a {@code SIGTERM}).
 *
 * @author Distributed Lock team
 */
class FaultNodeEvents {

	@EventListener
	void onLost(LockLostEvent event) {
		Events.emit("LOST_EVENT", "node", "key=" + event.getKey().parts().get(0), "token=" + event.getFencingToken());
	}

	@EventListener
	void onClosing(ContextClosedEvent event) {
		Events.emit("CLOSING", "node");
	}

}
