package clickseg.server.share;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Share ids and delete secrets: 128 and 256 random bits from {@link SecureRandom}, base64url without padding
 * (22 and 43 characters), so that guessing or enumerating finds nothing. Only a secret's sha256 is stored,
 * and a presented secret is compared with it in constant time.
 */
public final class ShareTokens {
    private static final int ID_BYTES = 16;
    private static final int SECRET_BYTES = 32;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();

    public String newId() {
        return randomText(ID_BYTES);
    }

    public String newSecret() {
        return randomText(SECRET_BYTES);
    }

    private String randomText(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return BASE64URL.encodeToString(raw);
    }

    /** Whether the text can be a share id at all (checked before any lookup, so junk never reaches SQL). */
    public static boolean isWellFormedId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The secret's sha256 as 64 lowercase hex digits: what the store keeps. */
    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Whether two stored-form hashes are equal, in time that does not depend on where they differ. */
    public static boolean sameHash(String presentedHash, String storedHash) {
        return MessageDigest.isEqual(presentedHash.getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
