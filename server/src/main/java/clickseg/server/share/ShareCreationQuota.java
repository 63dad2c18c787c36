package clickseg.server.share;

/**
 * How many share links one client address may create per sliding minute. In one process the count lives in
 * memory ({@link CreationRateLimit}); replicas keep it in PostgreSQL ({@link PostgresCreationRateLimit}), or a
 * client behind a round-robin load balancer would get the limit once per replica.
 */
public interface ShareCreationQuota {
    /**
     * Takes one creation for this client if it has one left, in one step (0), or says how many seconds until it
     * will (nothing taken). Give it back with {@link #refund} when the creation then fails.
     */
    long tryTake(String client) throws ShareStore.ShareStoreException;

    /** Gives back the creation this client took last (it was refused after all: bad body, full disk). */
    void refund(String client) throws ShareStore.ShareStoreException;
}
