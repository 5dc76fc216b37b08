package io.sqspii.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A healthcheck runs inside its own container, so it may only use what that image has: the old
 * {@code sqs} check ran bash in an Alpine image without bash, and nothing after it ever started. Each
 * healthcheck command is checked against a table of the tools each image is known to have (from its
 * Dockerfile, named in the table), and the comment next to it must name every tool it uses.
 */
class ComposeHealthcheckTest {

    /** Shell builtins: in bash, busybox sh and dash alike. */
    private static final Set<String> BUILTINS =
            Set.of("exec", "printf", "echo", "test", "[", "true", "false", "read", "exit", "cd");

    /**
     * Tools per image (repository without tag), with where the fact comes from. Keep to what the image's
     * Dockerfile installs: a tool not listed here fails the check until someone confirms it.
     */
    static final Map<String, Set<String>> IMAGE_TOOLS = Map.of(
            // apache/kafka docker/jvm/Dockerfile: eclipse-temurin:21-jre-alpine (busybox), apk add bash
            // (Kafka's scripts are bash); wget is apk-deleted after the download; no curl.
            "apache/kafka", Set.of("sh", "bash", "cat", "grep", "base64", "tr", "sed", "java", "/opt/kafka/bin/*.sh"),
            // elasticmq native-server/Dockerfile at v1.7.1: FROM alpine:3.22 + apk add tini: busybox only.
            "softwaremill/elasticmq-native", Set.of("sh", "wget", "grep", "cat", "tini"),
            // postgres:17 (Debian bookworm): dash as /bin/sh, bash, the server's client tools; no curl/wget.
            "postgres", Set.of("sh", "bash", "cat", "grep", "pg_isready", "psql"),
            // adoptium 17/jre/ubuntu/noble/Dockerfile: ubuntu:24.04 + curl, wget; the JRE's java, keytool.
            "eclipse-temurin", Set.of("sh", "bash", "cat", "grep", "curl", "wget", "java", "keytool"),
            // curlimages/curl: Alpine (busybox sh) + curl.
            "curlimages/curl", Set.of("sh", "curl", "cat", "grep", "sed", "mktemp"));

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyHealthcheckUsesOnlyToolsItsImageHas() {
        ComposeProject project = ComposeProject.load();
        Map<String, JsonNode> checks = healthchecks(project);
        assertThat(checks).containsKeys("kafka", "sqs", "postgres", "connect", "reveal");
        checks.forEach((service, test) -> {
            String image = imageOf(project, service);
            Set<String> tools = toolsOf(image);
            for (String command : Healthcheck.parse(test).commands()) {
                assertThat(has(tools, command))
                        .as(
                                "healthcheck of %s runs %s, which %s does not have (it has %s)",
                                service, command, image, tools)
                        .isTrue();
            }
        });
    }

    @Test
    void theCommentNextToEachHealthcheckNamesItsTools() {
        ComposeProject project = ComposeProject.load();
        healthchecks(project).forEach((service, test) -> {
            String comment = commentAbove(project.text("docker-compose.yml"), service);
            assertThat(comment)
                    .as("comment above %s's healthcheck test", service)
                    .isNotBlank();
            for (String command : Healthcheck.parse(test).commands()) {
                String name = command.substring(command.lastIndexOf('/') + 1);
                assertThat(comment)
                        .as("the comment of %s's healthcheck names %s", service, name)
                        .contains(name);
            }
        });
    }

    @Test
    void theCheckCatchesTheBashHealthcheckThatNeverTurnedSqsHealthy() throws Exception {
        JsonNode old = JSON.readTree("[\"CMD\", \"bash\", \"-c\", \"exec 3<>/dev/tcp/127.0.0.1/9324 && "
                + "printf 'GET / HTTP/1.0\\\\r\\\\n\\\\r\\\\n' >&3 && grep -q login-queue <&3\"]");
        Set<String> elasticmq = toolsOf("softwaremill/elasticmq-native:1.7.1");
        assertThat(Healthcheck.parse(old).commands()).contains("bash", "grep");
        assertThat(has(elasticmq, "bash")).isFalse();
        // /dev/tcp is a bash feature: busybox sh would open a file of that name.
        JsonNode shTcp = JSON.readTree("[\"CMD\", \"sh\", \"-c\", \"exec 3<>/dev/tcp/127.0.0.1/1\"]");
        assertThatThrownBy(() -> Healthcheck.parse(shTcp)).hasMessageContaining("/dev/tcp");
        // and a curl in the Kafka image is caught too
        JsonNode curl = JSON.readTree("[\"CMD-SHELL\", \"curl -fs http://127.0.0.1:8083/ | grep -q version\"]");
        assertThat(Healthcheck.parse(curl).commands()).containsExactly("sh", "curl", "grep");
        assertThat(has(toolsOf("apache/kafka:4.3.1"), "curl")).isFalse();
    }

    private static Map<String, JsonNode> healthchecks(ComposeProject project) {
        Map<String, JsonNode> checks = new LinkedHashMap<>();
        project.compose.path("services").properties().forEach(s -> {
            JsonNode test = s.getValue().path("healthcheck").path("test");
            if (!test.isMissingNode()) {
                checks.put(s.getKey(), test);
            }
        });
        return checks;
    }

    /** The image a service runs: its image, or the FROM of its build target in the Dockerfile. */
    static String imageOf(ComposeProject project, String service) {
        JsonNode s = project.service(service);
        if (s.has("image")) {
            return s.get("image").asText();
        }
        String dockerfile = project.text(s.path("build").path("dockerfile").asText());
        String target = s.path("build").path("target").asText();
        Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)\\s+AS\\s+" + Pattern.quote(target) + "\\s*$")
                .matcher(dockerfile);
        assertThat(from.find()).as("Dockerfile stage %s of %s", target, service).isTrue();
        return from.group(1);
    }

    static Set<String> toolsOf(String image) {
        String repository = image.replaceFirst(":[^/]*$", "");
        Set<String> tools = IMAGE_TOOLS.get(repository);
        assertThat(tools).as("the tool table knows image %s", image).isNotNull();
        return tools;
    }

    private static boolean has(Set<String> tools, String command) {
        if (tools.contains(command)) {
            return true;
        }
        return tools.stream()
                .filter(t -> t.endsWith("/*.sh"))
                .anyMatch(t -> command.startsWith(t.substring(0, t.length() - "*.sh".length()))
                        && command.endsWith(".sh")
                        && command.indexOf('/', t.length() - 4) < 0);
    }

    /** The comment lines between a service's {@code healthcheck:} and its {@code test:}. */
    private static String commentAbove(String composeText, String service) {
        String[] lines = composeText.split("\n");
        int i = 0;
        while (i < lines.length && !lines[i].equals("  " + service + ":")) {
            i++;
        }
        while (i < lines.length && !lines[i].trim().equals("healthcheck:")) {
            i++;
        }
        StringBuilder comment = new StringBuilder();
        for (i++; i < lines.length && lines[i].trim().startsWith("#"); i++) {
            comment.append(lines[i].trim().substring(1)).append(' ');
        }
        return comment.toString();
    }

    /** The commands a healthcheck runs: its program, and each command of a shell script it hands over. */
    record Healthcheck(List<String> commands) {

        private static final Pattern SINGLE_QUOTED = Pattern.compile("'[^']*'");
        private static final Pattern SEPARATORS = Pattern.compile("&&|\\|\\||\\||;|\\$\\(|\\)|`");

        static Healthcheck parse(JsonNode test) {
            List<String> args = new ArrayList<>();
            if (test.isTextual()) {
                args.add("CMD-SHELL");
                args.add(test.asText());
            } else {
                test.forEach(a -> args.add(a.asText()));
            }
            Set<String> commands = new LinkedHashSet<>();
            String shell;
            String script;
            switch (args.get(0)) {
                case "CMD-SHELL" -> {
                    shell = "sh"; // Docker runs /bin/sh -c
                    script = String.join(" ", args.subList(1, args.size()));
                }
                case "CMD" -> {
                    String program = args.get(1);
                    if ((program.equals("sh") || program.equals("bash"))
                            && args.size() > 3
                            && args.get(2).equals("-c")) {
                        shell = program;
                        script = args.get(3);
                    } else {
                        commands.add(program);
                        return new Healthcheck(List.copyOf(commands));
                    }
                }
                default ->
                    throw new IllegalArgumentException("healthcheck test must start with CMD or CMD-SHELL: " + args);
            }
            commands.add(shell);
            if (script.contains("/dev/tcp/") && !shell.equals("bash")) {
                throw new IllegalArgumentException("/dev/tcp needs bash, not " + shell + ": " + script);
            }
            String unquoted = SINGLE_QUOTED.matcher(script).replaceAll("''").replace("\"", " ");
            for (String segment : SEPARATORS.split(unquoted)) {
                String[] words = segment.trim().split("\\s+");
                if (words.length == 0 || words[0].isEmpty()) {
                    continue;
                }
                String word = words[0];
                if (!BUILTINS.contains(word)
                        && !word.startsWith(">")
                        && !word.startsWith("<")
                        && !word.matches("\\d*[<>].*")
                        && !word.equals("''")) {
                    commands.add(word);
                }
            }
            return new Healthcheck(List.copyOf(commands));
        }
    }
}
