package io.sqspii.sqs;

import java.net.UnknownHostException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** Sorts SQS failures into "retry with backoff" and "fail the task", and describes them without payloads. */
final class SqsErrors {

    private static final Set<String> RETRYABLE_CODES = Set.of(
            "RequestThrottled",
            "ThrottlingException",
            "Throttling",
            "TooManyRequestsException",
            "ServiceUnavailable",
            "InternalError",
            "InternalFailure",
            "RequestTimeout",
            "RequestTimeoutException",
            "KmsThrottled",
            "OverLimit",
            "PriorRequestNotComplete",
            "SlowDown");
    private static final Set<String> MISSING_QUEUE_CODES =
            Set.of("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "NonExistentQueue");
    private static final Set<String> DENIED_CODES = Set.of(
            "AccessDenied",
            "AccessDeniedException",
            "InvalidClientTokenId",
            "UnrecognizedClientException",
            "SignatureDoesNotMatch",
            "InvalidSecurity",
            "ExpiredToken",
            "ExpiredTokenException",
            "KmsAccessDenied",
            "KMS.AccessDeniedException",
            "MissingAuthenticationToken");

    private SqsErrors() {}

    /** Throttling, 5xx and network/IO failures: worth retrying, the queue is likely fine. */
    static boolean isRetryable(Throwable e) {
        if (e instanceof AwsServiceException ase) {
            if (isMissingQueue(e) || isDenied(e)) {
                return false;
            }
            String code = code(ase);
            return ase.isThrottlingException()
                    || ase.statusCode() >= 500
                    || ase.statusCode() == 429
                    || (code != null && RETRYABLE_CODES.contains(code));
        }
        // No response from SQS: connection refused/reset and timeouts pass; a host that does not resolve or
        // credentials that exist nowhere will not fix themselves.
        return e instanceof SdkClientException && !isUnknownHost(e) && !isMissingCredentials(e);
    }

    /** The endpoint's host name does not resolve: a typo in the queue URL, endpoint or region. */
    static boolean isUnknownHost(Throwable e) {
        return unknownHost(e) != null;
    }

    private static UnknownHostException unknownHost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException u) {
                return u;
            }
        }
        return null;
    }

    /** No credentials provider of the chain had any (the SDK says so only in its message). */
    static boolean isMissingCredentials(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SdkClientException
                    && t.getMessage() != null
                    && t.getMessage().startsWith("Unable to load credentials")) {
                return true;
            }
        }
        return false;
    }

    static boolean isMissingQueue(Throwable e) {
        return e instanceof QueueDoesNotExistException
                || (e instanceof AwsServiceException ase
                        && code(ase) != null
                        && MISSING_QUEUE_CODES.contains(code(ase)));
    }

    static boolean isDenied(Throwable e) {
        return e instanceof AwsServiceException ase
                && ((code(ase) != null && DENIED_CODES.contains(code(ase)))
                        || ase.statusCode() == 403 && !"OverLimit".equals(code(ase)));
    }

    /** The message a user sees when the task fails on {@code e}. */
    static String fatalMessage(String operation, String queueUrl, Throwable e) {
        if (isMissingQueue(e)) {
            return "SQS queue " + queueUrl + " does not exist (or is in another region/account): " + operation
                    + " failed. Check sqs.queue.url and sqs.region.";
        }
        if (isDenied(e)) {
            return "Access to SQS queue " + queueUrl + " was denied for " + operation + " (" + describe(e)
                    + "). Check the credentials and that the IAM policy allows sqs:ReceiveMessage, sqs:DeleteMessage, "
                    + "sqs:ChangeMessageVisibility and sqs:GetQueueAttributes on the queue.";
        }
        if (isUnknownHost(e)) {
            UnknownHostException u = unknownHost(e);
            return "The SQS endpoint for " + queueUrl + " cannot be resolved (unknown host"
                    + (u.getMessage() == null
                            ? ""
                            : " " + u.getMessage().split(":")[0].trim()) + ") for " + operation
                    + ". Check sqs.queue.url, "
                    + "sqs.endpoint.override and sqs.region, and that the worker can resolve the host.";
        }
        if (isMissingCredentials(e)) {
            return "No AWS credentials for SQS queue " + queueUrl + " (" + operation + "): set sqs.access.key.id and "
                    + "sqs.secret.access.key, or give the worker credentials through the AWS default chain (environment "
                    + "variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, web identity / IRSA, an ECS task role or "
                    + "an EC2 instance role).";
        }
        return "SQS " + operation + " on " + queueUrl + " failed and is not retryable: " + describe(e);
    }

    /** Error code, HTTP status and request id, or the client-side cause: never request or response bodies. */
    static String describe(Throwable e) {
        if (e instanceof AwsServiceException ase) {
            String code = code(ase);
            return (code == null ? "error" : code) + ", HTTP " + ase.statusCode()
                    + (ase.requestId() == null ? "" : ", request id " + ase.requestId());
        }
        if (e instanceof SdkException) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return e.getClass().getSimpleName()
                    + (root != e ? " caused by " + root.getClass().getSimpleName() : "") + ": " + e.getMessage();
        }
        return e.getClass().getSimpleName();
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }
}
