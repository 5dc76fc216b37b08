package io.sqspii.sqs;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts tasks for a test ({@code @RegisterExtension}) and stops every one of them after it. */
final class RunningTasks implements AfterEachCallback {

    private final List<SqsSourceTask> started = new CopyOnWriteArrayList<>();

    SqsSourceTask start(Map<String, String> props) {
        SqsSourceTask t = TestTasks.start(props);
        started.add(t);
        return t;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(SqsSourceTask::stop);
        started.clear();
    }
}
