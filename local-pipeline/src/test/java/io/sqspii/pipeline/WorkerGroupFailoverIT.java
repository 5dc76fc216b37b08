package io.sqspii.pipeline;

import io.sqspii.pipeline.FaultRun.Outcome;
import io.sqspii.pipeline.load.SyntheticLogins;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Two Connect workers in one group run the source and the sinks with tasks.max=4. One worker is killed
 * (SIGKILL) mid-stream: its tasks move to the survivor by themselves and nothing is lost; then a new worker
 * joins and takes a share of the tasks (scaling out is Connect's own).
 */
class WorkerGroupFailoverIT {

    private static final int TASKS = 4;
    /** Source and sink tasks, plus the rejected sink's one. */
    private static final int ALL_TASKS = TASKS + TASKS + 1;

    @Test
    void aKilledWorkersTasksMoveToTheSurvivorAndANewWorkerTakesAShare() throws Exception {
        try (TestDatabase db = TestDatabase.create();
                Pipeline pipeline = Pipeline.start(PipelineLayout.fromSystemProperties(), db.database(), 60)) {
            ConnectWorker first = pipeline.worker();
            ConnectWorker second = pipeline.addWorker();
            // Messages the killed worker had received come back after this visibility timeout.
            pipeline.registerConnectors(TASKS, TASKS, Map.of("sqs.visibility.timeout.seconds", "15"));
            awaitTasks(
                    pipeline,
                    Duration.ofMinutes(2),
                    "tasks on both workers",
                    byWorker -> new HashSet<>(byWorker.values()).equals(Set.of(id(first), id(second))));

            try (FaultRun run = new FaultRun(pipeline)) {
                run.send(SyntheticLogins.generate(201, 3000, 0.03));
                run.awaitAccountedAtLeast(300, Duration.ofSeconds(120));
                CompletableFuture<Void> during =
                        CompletableFuture.runAsync(() -> run.send(SyntheticLogins.generate(202, 3000, 0.03)));
                first.kill();
                Instant killed = Instant.now();
                awaitTasks(
                        pipeline,
                        Duration.ofMinutes(3),
                        "every task on the survivor",
                        byWorker -> byWorker.size() == ALL_TASKS
                                && Set.copyOf(byWorker.values()).equals(Set.of(id(second))));
                Duration moved = Duration.between(killed, Instant.now());
                during.join();
                Outcome outcome = run.finish(Duration.ofSeconds(240));
                PipelineFaultsIT.report("one of two workers SIGKILLed (tasks.max=4)", moved, outcome);
            }

            ConnectWorker third = pipeline.addWorker();
            Instant joined = Instant.now();
            awaitTasks(
                    pipeline,
                    Duration.ofMinutes(3),
                    "tasks on the survivor and the new worker",
                    byWorker -> byWorker.size() == ALL_TASKS
                            && new HashSet<>(byWorker.values()).equals(Set.of(id(second), id(third))));
            Duration spread = Duration.between(joined, Instant.now());
            try (FaultRun run = new FaultRun(pipeline)) {
                run.send(SyntheticLogins.generate(203, 2000, 0.03));
                Outcome outcome = run.finish(Duration.ofSeconds(180));
                PipelineFaultsIT.report("a worker added (scale out)", spread, outcome);
            }
        }
    }

    private static String id(ConnectWorker worker) {
        return "127.0.0.1:" + worker.restPort();
    }

    private static void awaitTasks(
            Pipeline pipeline, Duration timeout, String what, Predicate<Map<String, String>> done)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, String> last = Map.of();
        while (Instant.now().isBefore(deadline)) {
            try {
                last = ConnectorStates.runningTasksByWorker(pipeline);
                if (done.test(last)) {
                    return;
                }
            } catch (RuntimeException e) {
                // the REST API answers 409/500 while the group rebalances
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("not " + what + " within " + timeout + ": " + last);
    }
}
