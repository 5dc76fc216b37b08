package io.sqspii.sqs;

import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/** Builds the one SQS client a task uses (apache5 sync HTTP, no SDK-level retries: the task retries visibly). */
final class SqsClients implements AutoCloseable {

    private final SqsClient sqs;
    private final StsClient sts; // only with an assumed role
    private final AwsCredentialsProvider credentials;

    private SqsClients(SqsClient sqs, StsClient sts, AwsCredentialsProvider credentials) {
        this.sqs = sqs;
        this.sts = sts;
        this.credentials = credentials;
    }

    SqsClient sqs() {
        return sqs;
    }

    static SqsClients create(SqsSourceSettings settings) {
        SqsSourceSettings.Queue queue = settings.queue();
        int waitSeconds = settings.receive().waitTimeSeconds();
        Region region = Region.of(resolveRegion(queue));
        AwsCredentialsProvider base;
        if (queue.accessKeyId().isPresent() && queue.secretAccessKey().isPresent()) {
            base = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    queue.accessKeyId().get().value(),
                    queue.secretAccessKey().get().value()));
        } else {
            base = DefaultCredentialsProvider.builder().build();
        }
        StsClient sts = null;
        AwsCredentialsProvider credentials = base;
        if (queue.assumeRoleArn().isPresent()) {
            sts = StsClient.builder()
                    .region(region)
                    .credentialsProvider(base)
                    .httpClientBuilder(Apache5HttpClient.builder().maxConnections(2))
                    .build();
            String roleArn = queue.assumeRoleArn().get();
            credentials = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts)
                    .refreshRequest(r -> {
                        r.roleArn(roleArn).roleSessionName(queue.assumeRoleSessionName());
                        queue.assumeRoleExternalId().ifPresent(id -> r.externalId(id.value()));
                    })
                    .build();
        }
        // Long polls hold a connection for up to wait.time.seconds: the timeouts must exceed it, but not by much, so
        // that a server that never answers a poll is noticed (and retried) within seconds.
        // Given as a builder, not an instance, so that closing the SQS client closes its connection pool too.
        Apache5HttpClient.Builder http = Apache5HttpClient.builder()
                // receivers + deleters + the keeper's callers, and the depth reader
                .maxConnections(3 * settings.receive().concurrency() + 2)
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(waitSeconds + 5L));
        SqsClientBuilder builder = SqsClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(http)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofSeconds(waitSeconds + 5L))
                        .apiCallTimeout(Duration.ofSeconds(waitSeconds + 10L)));
        queue.endpoint().ifPresent(builder::endpointOverride);
        return new SqsClients(builder.build(), sts, credentials);
    }

    static String resolveRegion(SqsSourceSettings.Queue queue) {
        Optional<String> explicit = queue.signingRegion();
        if (explicit.isPresent()) {
            return explicit.get();
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkClientException | IllegalArgumentException e) {
            if (queue.endpoint().isPresent()) {
                return "us-east-1"; // ElasticMQ/LocalStack accept any region; the SDK needs one to sign.
            }
            throw ConfigErrors.invalid(
                    SqsSourceConfig.REGION, "no region: set " + SqsSourceConfig.REGION + " or AWS_REGION");
        }
    }

    @Override
    public void close() {
        closeQuietly(sqs);
        if (sts != null && credentials instanceof AutoCloseable c) {
            closeQuietly(c);
        }
        if (sts != null) {
            closeQuietly(sts);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing: nothing left to do about it
        }
    }
}
