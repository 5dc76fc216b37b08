package io.sqspii.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command line of the local pipeline. */
record RunOptions(
        List<String> datasets,
        Map<String, Path> files,
        int messages,
        double malformedShare,
        long seed,
        int sourceTasks,
        int sinkTasks,
        boolean follow,
        boolean bench,
        int warmup,
        int visibilityTimeoutSeconds,
        BenchSqs benchSqs) {

    /** The key of a --file given without NAME=: the run's only dataset. */
    static final String ONLY_DATASET = "";

    /**
     * Bench only: latency the proxy in front of ElasticMQ adds to each SQS call, the trickle and the idle time billed,
     * RSS interval, source connector keys set for the run.
     */
    record BenchSqs(
            int latencyMs,
            int jitterMs,
            int trickleSeconds,
            int trickleRate,
            int idleSeconds,
            int rssEvery,
            Map<String, String> sourceConfig) {}

    static final String USAGE = String.join(
            "\n",
            "usage: local-pipeline [--dataset NAME ...] [--file [NAME=]F ... | --messages N] [options]",
            "  --dataset NAME         serve the dataset datasets/NAME (repeatable; default: every folder of datasets/)",
            "  --file [NAME=]F        send each non-empty line of F as one message to dataset NAME's queue (repeatable;",
            "                         without NAME= when the run serves one dataset). Default: each dataset's",
            "                         datasets/NAME/sample.jsonl",
            "  --messages N           send N synthetic events per dataset instead, made from its event schema (its",
            "                         deterministic PII values recur, so their columns hold duplicates)",
            "  --malformed-share X    share of malformed bodies among synthetic ones, 0..1 (default 0.05): bodies",
            "                         the dataset's rejected table gets (not JSON, a wrong type, a missing field, ...)",
            "  --seed S               seed of the synthetic events (default 42)",
            "  --tasks N              tasks.max of the SQS source connector (default 1)",
            "  --sink-tasks N         tasks.max of each dataset's JDBC sink of valid rows (default 1)",
            "  --follow               keep running after the summary (for the inspector); Ctrl+C stops. If the",
            "                         default PostgreSQL lets a random password in (trust), the run uses a private",
            "                         one that checks passwords (URL printed); a PG_URL that trusts is refused",
            "  --bench                benchmark: 100,000 messages (or --messages N) per dataset end to end, one",
            "                         dataset after the other, against the raw SDK receive+delete rate on the same",
            "                         ElasticMQ",
            "  --warmup N             with --bench: messages sent through both first, untimed (default 10000)",
            "  --sqs-latency-ms N     with --bench: every SQS call waits N ms in a proxy (default 0); the run then",
            "                         measures end to end at 0 ms and at N ms; the request bill is always counted",
            "  --sqs-jitter-ms J      with --bench: each call's latency varies by up to ±J ms (default 0)",
            "  --trickle-seconds S    with --bench: how long a trickle of messages is sent and billed (default 30)",
            "  --trickle-rate R       with --bench: messages per second of the trickle (default 5)",
            "  --idle-seconds S       with --bench: how long the idle queue's requests are billed (default 60)",
            "  --rss-every N          with --bench: worker RSS printed every N messages (default messages/10)",
            "  --source-config K=V    with --bench: a key of the SQS source connector's config set to V for the",
            "                         run (repeatable), e.g. sqs.receive.concurrency=20, to measure a setting",
            "  --visibility-timeout S visibility timeout of the queues in seconds (default 60)",
            "environment: PG_URL (default " + PipelineDatabase.DEFAULT_URL
                    + ", created if missing), PG_USER (postgres), PG_PASSWORD");

    static RunOptions parse(String... args) {
        List<String> datasets = new ArrayList<>();
        Map<String, Path> files = new LinkedHashMap<>();
        int messages = -1;
        double share = 0.05;
        long seed = 42;
        int tasks = 1;
        int sinkTasks = 1;
        boolean follow = false;
        boolean bench = false;
        int warmup = -1;
        int visibility = 60;
        int latency = -1;
        int jitter = -1;
        int idle = -1;
        int trickleSeconds = -1;
        int trickleRate = -1;
        int rssEvery = -1;
        Map<String, String> sourceConfig = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (!a.isBlank()) {
                rest.add(a);
            }
        }
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            switch (arg) {
                case "--dataset" -> {
                    String name = value(rest, ++i, arg);
                    if (!name.matches("[a-z_][a-z0-9_]*") || datasets.contains(name)) {
                        throw new IllegalArgumentException(
                                "--dataset wants a dataset's name (a folder of datasets/), once; got " + name);
                    }
                    datasets.add(name);
                }
                case "--file" -> {
                    String v = value(rest, ++i, arg);
                    int eq = v.indexOf('=');
                    String name = eq > 0 && v.substring(0, eq).matches("[a-z_][a-z0-9_]*")
                            ? v.substring(0, eq)
                            : ONLY_DATASET;
                    if (files.put(name, Path.of(name.isEmpty() ? v : v.substring(eq + 1))) != null) {
                        throw new IllegalArgumentException(
                                "--file given twice for " + (name.isEmpty() ? "the dataset" : name));
                    }
                }
                case "--messages" -> messages = positive(value(rest, ++i, arg), arg);
                case "--malformed-share" -> share = share(value(rest, ++i, arg));
                case "--seed" -> seed = number(value(rest, ++i, arg), arg);
                case "--tasks" -> tasks = positive(value(rest, ++i, arg), arg);
                case "--sink-tasks" -> sinkTasks = positive(value(rest, ++i, arg), arg);
                case "--visibility-timeout" -> visibility = positive(value(rest, ++i, arg), arg);
                case "--follow" -> follow = true;
                case "--bench" -> bench = true;
                case "--warmup" -> warmup = range(value(rest, ++i, arg), arg, 0);
                case "--sqs-latency-ms" -> latency = range(value(rest, ++i, arg), arg, 0);
                case "--sqs-jitter-ms" -> jitter = range(value(rest, ++i, arg), arg, 0);
                case "--idle-seconds" -> idle = range(value(rest, ++i, arg), arg, 0);
                case "--trickle-seconds" -> trickleSeconds = range(value(rest, ++i, arg), arg, 0);
                case "--trickle-rate" -> trickleRate = positive(value(rest, ++i, arg), arg);
                case "--rss-every" -> rssEvery = positive(value(rest, ++i, arg), arg);
                case "--source-config" -> {
                    String kv = value(rest, ++i, arg);
                    int eq = kv.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--source-config wants KEY=VALUE, got " + kv);
                    }
                    sourceConfig.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        if (!files.isEmpty() && messages >= 0) {
            throw new IllegalArgumentException("give --file or --messages, not both");
        }
        if (bench && !files.isEmpty()) {
            throw new IllegalArgumentException("--bench sends synthetic messages; use --messages N, not --file");
        }
        if (files.containsKey(ONLY_DATASET) && (files.size() > 1 || datasets.size() != 1)) {
            throw new IllegalArgumentException(
                    "--file F without NAME= needs exactly one --dataset; else give --file NAME=F");
        }
        for (String name : files.keySet()) {
            if (!name.isEmpty() && !datasets.isEmpty() && !datasets.contains(name)) {
                throw new IllegalArgumentException("--file " + name + "=...: the run does not serve dataset " + name);
            }
        }
        if (!bench
                && (warmup >= 0
                        || latency >= 0
                        || jitter >= 0
                        || idle >= 0
                        || rssEvery >= 0
                        || trickleSeconds >= 0
                        || trickleRate >= 0
                        || !sourceConfig.isEmpty())) {
            throw new IllegalArgumentException("--warmup, --sqs-latency-ms, --sqs-jitter-ms, --trickle-seconds,"
                    + " --trickle-rate, --idle-seconds, --rss-every and --source-config go with --bench");
        }
        if (jitter > Math.max(latency, 0)) {
            throw new IllegalArgumentException("--sqs-jitter-ms must not exceed --sqs-latency-ms");
        }
        if (bench && messages < 0) {
            messages = 100_000;
        }
        if (bench && warmup < 0) {
            warmup = 10_000;
        }
        BenchSqs benchSqs = new BenchSqs(
                Math.max(latency, 0),
                Math.max(jitter, 0),
                trickleSeconds < 0 ? 30 : trickleSeconds,
                trickleRate < 0 ? 5 : trickleRate,
                idle < 0 ? 60 : idle,
                rssEvery > 0 ? rssEvery : Math.max(1, messages / 10),
                Map.copyOf(sourceConfig));
        return new RunOptions(
                List.copyOf(datasets),
                Map.copyOf(files),
                messages,
                share,
                seed,
                tasks,
                sinkTasks,
                follow,
                bench,
                Math.max(warmup, 0),
                visibility,
                benchSqs);
    }

    boolean synthetic() {
        return messages >= 0;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static long number(String value, String option) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, got " + value);
        }
    }

    private static int positive(String value, String option) {
        return range(value, option, 1);
    }

    private static int range(String value, String option, int min) {
        long n = number(value, option);
        if (n < min || n > 10_000_000) {
            throw new IllegalArgumentException(option + " must be between " + min + " and 10000000, got " + value);
        }
        return (int) n;
    }

    private static double share(String value) {
        try {
            double d = Double.parseDouble(value);
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--malformed-share must be between 0 and 1, got " + value);
    }
}
