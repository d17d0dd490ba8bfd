package dev.distlock.sample.inventory;

import java.io.Serial;

/**
 * A write was refused because a lock holder with a greater fencing token has written
 * since: the writer's lease expired while it was paused, and another holder took over.
 *
 * @author Distributed Lock team
 */
public class StaleFencingTokenException extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final long fencingToken;

	private final long acceptedFencingToken;

	/**
	 * Create an exception.
	 * @param sku the item written
	 * @param fencingToken the refused write's token
	 * @param acceptedFencingToken the token of the write in the store
	 */
	public StaleFencingTokenException(String sku, long fencingToken, long acceptedFencingToken) {
		super("Write to '" + sku + "' with fencing token " + fencingToken
				+ " refused: the store already holds a write with fencing token " + acceptedFencingToken
				+ ". This holder's lease expired while it was paused and a newer holder has written since.");
		this.fencingToken = fencingToken;
		this.acceptedFencingToken = acceptedFencingToken;
	}

	/**
	 * Return the fencing token of the refused write.
	 * @return the refused token
	 */
	public long getFencingToken() {
		return this.fencingToken;
	}

	/**
	 * Return the fencing token of the write that the store holds.
	 * @return the accepted token
	 */
	public long getAcceptedFencingToken() {
		return this.acceptedFencingToken;
	}

}
