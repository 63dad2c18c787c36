package clickseg.server.store;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Blobs as objects in an S3-compatible bucket, under an optional prefix ("s3://bucket/prefix"). Every replica
 * reads and writes the same bucket, so any replica serves any blob.
 *
 * <p>A PUT is atomic in S3 (an object is visible whole or not at all), and its metadata travels with it as
 * user metadata ({@code x-amz-meta-*}), which HEAD returns without the body. Credentials come from the AWS SDK's
 * default chain (environment, system properties, profile files, container or instance roles). Eviction is left
 * to the bucket: see the README's "Deploying" section for the lifecycle rule.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    private static final Pattern LOCATION = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/.*)?");

    private final S3Client s3;
    private final String bucket;
    private final String prefix; // "" or "some/prefix/"
    private final String location;

    private S3BlobStore(S3Client s3, String bucket, String prefix, String location) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.location = location;
    }

    /**
     * @param location "s3://bucket" or "s3://bucket/prefix"
     * @param endpoint an S3-compatible server's base URL (path-style access), or null for AWS itself
     */
    public static S3BlobStore open(String location, URI endpoint) throws IOException {
        var m = LOCATION.matcher(location);
        if (!m.matches()) {
            throw new IllegalArgumentException("--store: \"" + location + "\" is not s3://bucket or s3://bucket/prefix");
        }
        String bucket = m.group(1);
        String path = m.group(2) == null ? "" : m.group(2).replaceAll("^/+|/+$", "");
        if (!path.isEmpty() && !KEY.matcher(path).matches()) {
            throw new IllegalArgumentException("--store: the prefix \"" + path + "\" must be segments of [A-Za-z0-9._-]");
        }
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(region())
                // The SDK's default since 2.30 (CRC checksums in aws-chunked trailers, checksum mode on GET) is not
                // spoken by many S3-compatible servers; only when an operation requires it, as before.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (endpoint != null) {
            builder.endpointOverride(endpoint).forcePathStyle(true);
        }
        S3Client s3 = builder.build();
        S3BlobStore store = new S3BlobStore(s3, bucket, path.isEmpty() ? "" : path + "/",
                location + (endpoint == null ? "" : " at " + endpoint));
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            s3.close();
            throw new IOException("cannot reach the bucket " + bucket + (endpoint == null ? "" : " at " + endpoint)
                    + ": " + e.getMessage(), e);
        }
        return store;
    }

    /** The default chain's region, else us-east-1 (S3-compatible servers mostly ignore it, but signing needs one). */
    private static Region region() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            return Region.US_EAST_1;
        }
    }

    @Override
    public byte[] get(String key) throws IOException {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey(key)));
            return object.asByteArrayUnsafe();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (SdkException e) {
            throw new IOException("cannot read " + key + " from the bucket: " + e.getMessage(), e);
        }
    }

    @Override
    public BlobInfo info(String key) throws IOException {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(objectKey(key)));
            return new BlobInfo(head.contentLength(), Map.copyOf(head.metadata()));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) { // HEAD has no body, so no NoSuchKey code to map from
                return null;
            }
            throw new IOException("cannot look up " + key + " in the bucket: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("cannot look up " + key + " in the bucket: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean contains(String key) {
        try {
            return info(key) != null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void put(String key, byte[] bytes, Map<String, String> metadata) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(objectKey(key)).metadata(metadata)
                    .contentType("application/octet-stream"), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw new IOException("cannot write " + key + " to the bucket: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(objectKey(key)));
        } catch (SdkException e) {
            throw new IOException("cannot delete " + key + " from the bucket: " + e.getMessage(), e);
        }
    }

    /** Unknown without listing the bucket: -1. */
    @Override
    public long size() {
        return -1;
    }

    /** The bucket's lifecycle rule evicts (README, "Deploying"); nothing happens here. */
    @Override
    public int evict(long budgetBytes) {
        return 0;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public void close() {
        s3.close();
    }

    private String objectKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("invalid blob key: " + key);
        }
        return prefix + key;
    }
}
