package dev.distlock.actuate;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.distlock.core.HeldLock;
import dev.distlock.core.InvalidLockKeyException;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code distributedlocks} actuator endpoint. Reading it lists the locks this
 * instance holds; deleting force-releases one key in the store, whoever holds it, for an
 * operator who must clear a stuck lock:
 *
 * <pre class="code">
 * DELETE /actuator/distributedlocks?key=token_refresh:42
 * </pre>
 *
 * The key is the readable form of {@link LockKey#asString()}, passed as a query parameter
 * rather than in the path: readable keys may contain {@code /} and {@code \}, which
 * servlet containers reject or split when encoded in a path, whereas a query parameter
 * carries any character once URL-encoded.
 * <p>
 * Keys often carry personal data, such as user ids, so the read operation masks them as
 * Spring Boot's {@code env} endpoint masks values: {@code token_refresh:******} shows the
 * namespace and hides the parts, unless {@code show-values} is {@code always}, or
 * {@code when-authorized} and the caller is authenticated (and in one of the roles, if
 * any are set). Owner tokens are never shown.
 * <p>
 * A forced release lets another instance take the lock while the previous holder may
 * still run, so the endpoint is read-only unless an operator opts in with
 * {@code management.endpoint.distributedlocks.access=unrestricted}, and every forced
 * release is logged at WARN with the principal and the key.
 *
 * @author Distributed Lock team
 */
@Endpoint(id = "distributedlocks", defaultAccess = Access.READ_ONLY)
public class DistributedLocksEndpoint {

	private static final Log logger = LogFactory.getLog(DistributedLocksEndpoint.class);

	/**
	 * What a masked key shows in place of its parts.
	 */
	static final String MASK = "******";

	private final LockTemplate lockTemplate;

	private final Show showValues;

	private final Set<String> roles;

	/**
	 * Create an endpoint over the given template that never shows keys unmasked.
	 * @param lockTemplate the lock template whose locks to show
	 */
	public DistributedLocksEndpoint(LockTemplate lockTemplate) {
		this(lockTemplate, Show.NEVER, Set.of());
	}

	/**
	 * Create an endpoint over the given template.
	 * @param lockTemplate the lock template whose locks to show
	 * @param showValues when to show keys unmasked
	 * @param roles the roles that may see keys unmasked with
	 * {@link Show#WHEN_AUTHORIZED}; empty for every authenticated caller
	 */
	public DistributedLocksEndpoint(LockTemplate lockTemplate, Show showValues, Set<String> roles) {
		this.lockTemplate = Objects.requireNonNull(lockTemplate, "lockTemplate must not be null");
		this.showValues = Objects.requireNonNull(showValues, "showValues must not be null");
		this.roles = Set.copyOf(roles);
	}

	/**
	 * List the locks this instance holds, oldest first.
	 * @param securityContext the caller's security context, which decides whether keys
	 * are shown unmasked
	 * @return the held locks
	 */
	@ReadOperation
	public DistributedLocksDescriptor locks(SecurityContext securityContext) {
		boolean showKeys = this.showValues.isShown(securityContext, this.roles);
		List<LockDescriptor> locks = this.lockTemplate.heldLocks()
			.stream()
			.map((lock) -> new LockDescriptor(lock, showKeys))
			.toList();
		return new DistributedLocksDescriptor(this.lockTemplate.getStore().storeName(), locks);
	}

	/**
	 * Return the form of a key that hides its parts: the namespace followed by
	 * {@value #MASK}, or the key itself when it has no parts.
	 * @param key the key's readable form
	 * @return the masked form
	 */
	static String mask(String key) {
		LockKey lockKey;
		try {
			lockKey = LockKey.parse(key);
		}
		catch (InvalidLockKeyException ex) {
			return MASK;
		}
		return lockKey.parts().isEmpty() ? key : LockKey.of(lockKey.namespace(), MASK).asString();
	}

	/**
	 * Release a lock in the store whoever holds it.
	 * @param key the key's readable form, such as {@code token_refresh:42}
	 * @param securityContext the caller's security context
	 * @return what was done
	 */
	@DeleteOperation
	public ForceReleaseDescriptor forceRelease(String key, SecurityContext securityContext) {
		LockKey lockKey;
		try {
			lockKey = LockKey.parse(key);
		}
		catch (InvalidLockKeyException ex) {
			throw new InvalidEndpointRequestException("Invalid lock key '" + key + "': " + ex.getMessage(),
					"Invalid lock key");
		}
		String who = describe(securityContext.getPrincipal());
		boolean released;
		try {
			released = this.lockTemplate.forceRelease(lockKey);
		}
		catch (RuntimeException ex) {
			logger.warn(who + " failed to force-release lock '" + lockKey + "' through the distributedlocks endpoint",
					ex);
			throw ex;
		}
		logger.warn(who + " force-released lock '" + lockKey + "' through the distributedlocks endpoint: "
				+ (released ? "it was held and is now free; its holder may still be running" : "it was not held"));
		return new ForceReleaseDescriptor(lockKey.asString(), released);
	}

	private static String describe(@Nullable Principal principal) {
		return (principal != null) ? "Principal '" + principal.getName() + "'" : "An unauthenticated caller";
	}

	/**
	 * The locks this instance holds.
	 *
	 * @param store the store kind
	 * @param locks the held locks, oldest first
	 */
	public record DistributedLocksDescriptor(String store,
			List<LockDescriptor> locks) implements OperationResponseBody {

	}

	/**
	 * One held lock.
	 *
	 * @param namespace the lock's namespace
	 * @param key the key's readable form, as the delete operation takes it, or its masked
	 * form ({@code namespace:******}) unless shown values are allowed
	 * @param fencingToken the holder's fencing token
	 * @param acquiredAt when it was acquired
	 * @param expiresAt when its lease ends unless renewed
	 * @param holderThread the name of the thread that acquired it
	 */
	public record LockDescriptor(String namespace, String key, long fencingToken, Instant acquiredAt, Instant expiresAt,
			String holderThread) {

		LockDescriptor(HeldLock lock, boolean showKey) {
			this(lock.namespace(), showKey ? lock.key() : mask(lock.key()), lock.fencingToken(), lock.acquiredAt(),
					lock.expiresAt(), lock.holderThread());
		}

	}

	/**
	 * The result of a forced release.
	 *
	 * @param key the key's readable form
	 * @param released whether a lock was held and is now free
	 */
	public record ForceReleaseDescriptor(String key, boolean released) implements OperationResponseBody {

	}

}
