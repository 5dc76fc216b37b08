package io.sqspii.sqs;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef.LambdaValidator;
import org.apache.kafka.common.config.ConfigDef.Validator;
import org.apache.kafka.common.config.types.Password;

/**
 * The config validators, composed from a few combinators. Each error names the key and a problem text fixed
 * when the validator is built, so no error can quote the value (a value may be a secret a config provider
 * resolved). A validator's {@code toString} is its "valid values" column in the docs.
 */
final class Validators {

    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}(\\.fifo)?");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");

    private Validators() {}

    /**
     * The one reading of a value as text: unset is empty, a secret is its value. Kafka has already trimmed the
     * strings it parsed, defaults included.
     */
    static String text(Object value) {
        return value == null ? "" : value instanceof Password p ? p.value() : value.toString();
    }

    /** Accepts the values whose text {@code ok} accepts; else the error is {@code problem}. */
    static Validator rule(String description, Predicate<String> ok, String problem) {
        return LambdaValidator.with(
                (key, value) -> {
                    if (!ok.test(text(value))) {
                        throw ConfigErrors.invalid(key, problem);
                    }
                },
                () -> description);
    }

    /** A rule that is only part of a validator (in {@link #all}), so it needs no description. */
    static Validator rule(Predicate<String> ok, String problem) {
        return rule("", ok, problem);
    }

    /** Every one of {@code rules}, in order: the first that fails gives the error. */
    static Validator all(String description, Validator... rules) {
        return LambdaValidator.with(
                (key, value) -> {
                    for (Validator r : rules) {
                        r.ensureValid(key, value);
                    }
                },
                () -> description);
    }

    /** Empty or unset, or else what {@code v} accepts. */
    static Validator optional(Validator v) {
        return LambdaValidator.with(
                (key, value) -> {
                    if (!text(value).isEmpty()) {
                        v.ensureValid(key, value);
                    }
                },
                () -> "empty or " + v);
    }

    static Validator pattern(String description, String regex, String problem) {
        Pattern p = Pattern.compile(regex);
        return rule(description, s -> p.matcher(s).matches(), problem);
    }

    static Validator nonEmpty() {
        return rule("non-empty string", s -> !s.isEmpty(), "String must be non-empty");
    }

    /** Kafka's {@code Range} (same bounds text and wording), without the value in its error. */
    static Validator range(long min, long max) {
        return LambdaValidator.with(
                (key, value) -> {
                    if (!(value instanceof Number n)) {
                        throw ConfigErrors.invalid(key, "Value must be non-null");
                    } else if (n.longValue() < min) {
                        throw ConfigErrors.invalid(key, "Value must be at least " + min);
                    } else if (n.longValue() > max) {
                        throw ConfigErrors.invalid(key, "Value must be no more than " + max);
                    }
                },
                () -> "[" + min + ",...," + max + "]");
    }

    /** The config word of an enum constant: its name in lower case. */
    static String word(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The word of one of {@code type}'s constants, exactly. */
    static <E extends Enum<E>> Validator oneOf(Class<E> type) {
        return oneOf(type, false);
    }

    /** The word of one of {@code type}'s constants, in any case. */
    static <E extends Enum<E>> Validator oneOfIgnoringCase(Class<E> type) {
        return oneOf(type, true);
    }

    private static <E extends Enum<E>> Validator oneOf(Class<E> type, boolean ignoreCase) {
        List<String> words =
                Arrays.stream(type.getEnumConstants()).map(Validators::word).toList();
        String anyCase = ignoreCase ? " (any case)" : "";
        return rule(
                words + anyCase,
                s -> words.contains(ignoreCase ? s.toLowerCase(Locale.ROOT) : s),
                "String must be one of: " + String.join(", ", words) + anyCase);
    }

    /** An http or https URL with a host. */
    static Validator httpUrl(String description, String example) {
        return all(
                description,
                rule(s -> uri(s) != null, "not a valid URL"),
                rule(s -> isHttp(uri(s)), "must be an http or https URL with a host, e.g. " + example));
    }

    static Validator topic() {
        return rule(
                "a Kafka topic name",
                s -> TOPIC_NAME.matcher(s).matches() && !s.equals(".") && !s.equals(".."),
                "not a valid Kafka topic name (letters, digits, '.', '_', '-'; at most 249)");
    }

    /** Secrets: no whitespace or control characters (copy-paste errors). */
    static Validator secret() {
        return optional(rule(
                "a value without whitespace", s -> !hasSpaceOrControl(s), "contains whitespace or control characters"));
    }

    /** A list whose every entry {@code ok} accepts; a bad entry is named by its position, never its text. */
    static Validator eachEntry(String description, Predicate<String> ok, String problem) {
        return LambdaValidator.with(
                (key, value) -> {
                    List<?> entries = value instanceof List<?> l ? l : List.of();
                    for (int i = 0; i < entries.size(); i++) {
                        if (!ok.test(text(entries.get(i)))) {
                            throw ConfigErrors.invalid(key, "entry " + (i + 1) + " " + problem);
                        }
                    }
                },
                () -> description);
    }

    // The connector's own values.

    /** A queue URL: http(s), a host, and a path of exactly /account/name. */
    static Validator sqsQueueUrl() {
        String form = "http(s)://<host>/<account-id>/<queue-name>";
        return all(
                form,
                rule(s -> !s.isEmpty(), "the queue URL is required"),
                httpUrl(form, "https://sqs.eu-west-1.amazonaws.com/123456789012/my-queue"),
                rule(
                        s -> queuePath(s).length == 2 && !queuePath(s)[0].isEmpty() && !queuePath(s)[1].isEmpty(),
                        "the URL path must be /<account-id>/<queue-name>"),
                rule(
                        s -> uri(s).getQuery() == null && uri(s).getFragment() == null,
                        "the URL must not have a query or fragment"),
                rule(
                        s -> QUEUE_NAME.matcher(queuePath(s)[1]).matches(),
                        "the queue name may hold only letters, digits, - and _ (at most 80), optionally ending in .fifo"));
    }

    private static String[] queuePath(String url) {
        String path = uri(url).getPath();
        return (path == null ? "" : path).replaceAll("^/+|/+$", "").split("/");
    }

    // e.g. us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, ap-southeast-5
    static Validator awsRegion() {
        return pattern(
                "an AWS region name, e.g. eu-west-1",
                "[a-z]{2,4}(-[a-z]+)+-\\d{1,2}",
                "not an AWS region name such as eu-west-1 or us-gov-west-1");
    }

    static Validator iamRoleArn() {
        return pattern(
                "arn:aws:iam::<account>:role/<name>",
                "arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}",
                "not an IAM role ARN such as arn:aws:iam::123456789012:role/name");
    }

    /** A path that can exist (whether it does is checked when the file is read). */
    static Validator filePath() {
        return rule(
                "a file path",
                s -> {
                    try {
                        Path.of(s);
                        return true;
                    } catch (RuntimeException e) {
                        return false;
                    }
                },
                "not a valid file path");
    }

    /** Text that at least looks like a JSON object; its parser checks the rest. */
    static Validator jsonObject() {
        return rule("a JSON Schema object", s -> s.startsWith("{") && s.endsWith("}"), "must be a JSON object");
    }

    /** A Connect field name: no whitespace or control characters. */
    static Validator fieldName() {
        return rule(
                "a field name, e.g. message_id",
                s -> s.length() <= 255 && !hasSpaceOrControl(s),
                "not a field name (no spaces or control characters, at most 255)");
    }

    static Validator sqsAttributeNames() {
        return eachEntry(
                "empty or a list of SQS message attribute names",
                n -> ATTRIBUTE_NAME.matcher(n).matches() && !n.startsWith(".") && !n.endsWith(".") && !n.contains(".."),
                "is not an SQS message attribute name (letters, digits, '_', '-', '.'; at most 256)");
    }

    private static boolean hasSpaceOrControl(String s) {
        return s.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
    }

    /** The URI of {@code s}, or null when it is not one. */
    static URI uri(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static boolean isHttp(URI uri) {
        String scheme =
                uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https"))
                && uri.getHost() != null
                && !uri.getHost().isEmpty();
    }
}
