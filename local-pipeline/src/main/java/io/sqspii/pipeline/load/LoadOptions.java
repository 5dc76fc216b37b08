package io.sqspii.pipeline.load;

import io.sqspii.dataset.Datasets;
import io.sqspii.dataset.Definition;
import io.sqspii.dataset.DefinitionException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The load generator's command line. */
record LoadOptions(
        String queueUrl,
        String endpoint,
        String region,
        Path file,
        int messages,
        double malformedShare,
        long seed,
        int threads,
        Path datasets,
        String queueUrlBase,
        Path dataset) {

    /** The definition --messages generates events of when --dataset is not given. */
    static final Path DEFAULT_DATASET = Path.of("datasets", "user_logins");

    static final String USAGE = String.join(
            System.lineSeparator(),
            "usage: LoadGenerator --queue-url URL [--endpoint URL] [--region R]",
            "                     (--file F | --messages N [--dataset DIR] [--malformed-share 0.05] [--seed 42])",
            "                     [--threads 4]",
            "       LoadGenerator --datasets D --queue-url-base URL [--endpoint URL] [--region R] [--threads 4]",
            "  --queue-url URL        the queue to send to",
            "  --datasets D           a dataset definition folder, or a folder of them (datasets): send each one's",
            "                         sample.jsonl to <--queue-url-base>/<its dataset.json queue>",
            "  --queue-url-base URL   the queue URLs without the queue name (http://sqs:9324/000000000000)",
            "  --endpoint URL         an SQS-compatible server (ElasticMQ, LocalStack) instead of AWS",
            "  --region R             AWS region (default: AWS_REGION etc.; us-east-1 for a non-AWS endpoint)",
            "  --file F               send every non-empty line of F, as is, as one message body",
            "  --messages N           send N synthetic events made from the --dataset definition's event schema (its",
            "                         deterministic PII values recur), a share of them malformed",
            "  --dataset DIR          the dataset definition folder (dataset.json, event.schema.json) of --messages",
            "                         (default " + DEFAULT_DATASET + ")",
            "  --malformed-share S    the malformed share, 0..1 (default 0.05): bodies the connector must reject (not",
            "                         JSON, a wrong type, a missing required value, too long, too deep, ...)",
            "  --seed X               the synthetic data's seed: the same seed gives the same bodies (default 42)",
            "  --threads T            sending threads, 1..256 (default 4)",
            "exit status: 0 all sent, 1 sending failed, 2 bad arguments");

    /** The options, or null when help was asked for. */
    static LoadOptions parse(String... args) {
        String queueUrl = null;
        String endpoint = null;
        String region = null;
        Path file = null;
        Integer messages = null;
        Double share = null;
        Long seed = null;
        int threads = 4;
        Path datasets = null;
        String queueUrlBase = null;
        Path dataset = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                return null;
            }
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + name + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--queue-url" -> queueUrl = httpUrl(name, value);
                case "--endpoint" -> endpoint = httpUrl(name, value);
                case "--region" -> region = nonBlank(name, value);
                case "--file" -> file = Path.of(nonBlank(name, value));
                case "--messages" -> messages = (int) number(name, value, 0, Integer.MAX_VALUE);
                case "--malformed-share" -> share = share(value);
                case "--seed" -> seed = number(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
                case "--threads" -> threads = (int) number(name, value, 1, 256);
                case "--datasets" -> datasets = Path.of(nonBlank(name, value));
                case "--dataset" -> dataset = Path.of(nonBlank(name, value));
                case "--queue-url-base" -> queueUrlBase = httpUrl(name, value).replaceAll("/+$", "");
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (datasets != null || queueUrlBase != null) {
            if (datasets == null || queueUrlBase == null) {
                throw new IllegalArgumentException("--datasets and --queue-url-base go together");
            }
            if (queueUrl != null
                    || file != null
                    || messages != null
                    || share != null
                    || seed != null
                    || dataset != null) {
                throw new IllegalArgumentException("--datasets sends the definitions' samples: no --queue-url, --file, "
                        + "--messages, --dataset, --malformed-share or --seed with it");
            }
            return new LoadOptions(null, endpoint, region, null, 0, 0.05, 42, threads, datasets, queueUrlBase, null);
        }
        if (queueUrl == null) {
            throw new IllegalArgumentException("--queue-url is required");
        }
        if ((file == null) == (messages == null)) {
            throw new IllegalArgumentException("give exactly one of --file and --messages");
        }
        if (file != null && (share != null || seed != null || dataset != null)) {
            throw new IllegalArgumentException(
                    "--dataset, --malformed-share and --seed go with --messages, not --file");
        }
        return new LoadOptions(
                queueUrl,
                endpoint,
                region,
                file,
                messages == null ? 0 : messages,
                share == null ? 0.05 : share,
                seed == null ? 42 : seed,
                threads,
                null,
                null,
                file != null ? null : dataset != null ? dataset : DEFAULT_DATASET);
    }

    /** Where the bodies go: a queue URL and what to send there, in order. */
    record Target(String queueUrl, List<String> bodies) {}

    /** With --datasets, one target per definition with a sample.jsonl (in name order); else the one queue. */
    List<Target> targets() throws IOException {
        if (datasets == null) {
            return List.of(new Target(queueUrl, bodies()));
        }
        List<Target> out = new ArrayList<>();
        List<Path> folders = Datasets.folders(List.of(datasets));
        if (folders.isEmpty()) {
            throw new IOException("no dataset definition (a folder holding dataset.json) in " + datasets);
        }
        for (Path folder : folders) {
            Path sample = folder.resolve("sample.jsonl");
            if (Files.isRegularFile(sample)) {
                out.add(new Target(queueUrlBase + "/" + definition(folder).queue(), LoadGenerator.bodiesOf(sample)));
            }
        }
        return out;
    }

    /** The bodies to send: the file's non-blank lines, or synthetic events of the --dataset definition. */
    List<String> bodies() throws IOException {
        if (file != null) {
            return LoadGenerator.bodiesOf(file);
        }
        return SyntheticEvents.generate(definition(dataset), seed, messages, malformedShare);
    }

    private static Definition definition(Path folder) throws IOException {
        try {
            return Definition.load(folder);
        } catch (DefinitionException e) {
            throw new IOException(folder + " is not a valid dataset definition: " + String.join("; ", e.problems()));
        }
    }

    private static String httpUrl(String name, String value) {
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be an http(s) URL, got '" + value + "'");
    }

    private static String nonBlank(String name, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    private static long number(String name, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ", got " + n);
        }
        return n;
    }

    private static double share(String value) {
        double s;
        try {
            s = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            s = Double.NaN;
        }
        if (!(s >= 0 && s <= 1)) {
            throw new IllegalArgumentException("--malformed-share must be a number within 0..1, got '" + value + "'");
        }
        return s;
    }
}
