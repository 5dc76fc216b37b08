package io.sqspii.pipeline.load;

import java.net.URI;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/** The load generator's SQS client: AWS, or any server speaking SQS's protocol (ElasticMQ, LocalStack). */
final class LoaderClient {

    /** What a local SQS server is signed with when nothing is configured: ElasticMQ accepts any key pair. */
    private static final AwsBasicCredentials LOCAL = AwsBasicCredentials.create("local", "local");

    private LoaderClient() {}

    static SqsClient create(String endpointOrNull, String regionOrNull) {
        // Given as a builder, not an instance, so that closing the SQS client closes its connection pool too.
        SqsClientBuilder builder = SqsClient.builder()
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(64));
        AwsCredentialsProvider credentials =
                DefaultCredentialsProvider.builder().build();
        if (endpointOrNull != null) {
            URI endpoint = URI.create(endpointOrNull);
            builder.endpointOverride(endpoint);
            if (!isAws(endpoint)) {
                credentials = AwsCredentialsProviderChain.of(credentials, StaticCredentialsProvider.create(LOCAL));
                if (regionOrNull == null) {
                    // Any region will do for a local server, but the SDK needs one to sign requests.
                    builder.region(Region.US_EAST_1);
                }
            }
        }
        if (regionOrNull != null) {
            builder.region(Region.of(regionOrNull));
        } // else: the SDK's default region chain (AWS_REGION, profile, instance metadata)
        return builder.credentialsProvider(credentials).build();
    }

    /** AWS's own endpoints (sqs.us-east-1.amazonaws.com, VPC endpoints, China, dual-stack api.aws). */
    static boolean isAws(URI endpoint) {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
        return host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn") || host.endsWith(".api.aws");
    }
}
