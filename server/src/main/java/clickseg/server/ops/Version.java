package clickseg.server.ops;

/** The server's version, from the jar's manifest (Implementation-Version), or "dev" when run from classes. */
public final class Version {
    private Version() {
    }

    public static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
