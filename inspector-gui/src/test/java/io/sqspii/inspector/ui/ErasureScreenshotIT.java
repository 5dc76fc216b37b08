package io.sqspii.inspector.ui;

import io.sqspii.inspector.testing.DevRevealService;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import io.sqspii.inspector.testing.TestDb;
import io.sqspii.reveal.RevealServer;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * Not a check: the documentation screenshot of the Erasure tab (docs/governance-erasure.png): an eraser's Find of one
 * e-mail address across orders and the tests' tickets dataset (shared key domain email) through the running reveal
 * service, the rows per dataset, the subject token and what remains elsewhere. Run under Xvfb with the real glass
 * platform, see the README.
 */
@EnabledIfSystemProperty(named = "inspector.screenshot.dir", matches = ".+")
class ErasureScreenshotIT {

    final FxRobot robot = new FxRobot();

    @RegisterExtension
    final InspectorUi ui = InspectorUi.empty();

    @Test
    void anErasersFindAcrossTwoDatasets() throws Exception {
        Path dir = Path.of(System.getProperty("inspector.screenshot.dir"));
        try (TestDb db = TestDb.createCheckingPasswords()) {
            db.applyDataset(TestDb.shipped("orders"));
            db.applyDataset(TestDb.testDataset("tickets"));
            UnaryOperator<String> email = DevRevealService.canonicalEncrypter(db, "orders", "masked_customer_email");
            UnaryOperator<String> reporter =
                    DevRevealService.canonicalEncrypter(db, "tickets", "masked_reporter_email");
            for (int i = 1; i <= 30; i++) {
                ErasureFlowIT.insertOrder(
                        db,
                        "o-" + i,
                        email.apply(i % 10 == 0 ? "Jane.Roe@Example.org" : "customer" + i + "@example.org"),
                        i);
            }
            for (int i = 1; i <= 12; i++) {
                ErasureFlowIT.insertTicket(
                        db,
                        "t-" + i,
                        i,
                        reporter.apply(i % 5 == 0 ? "jane.roe@example.org" : "reporter" + i + "@example.org"));
            }
            String eraser = db.createLogin("pii_eraser", InspectorUi.PASSWORD);
            try (RevealServer service = DevRevealService.start(db)) {
                MainView e = ui.open(db, eraser, service.uri().toString(), null, 1400, 760);
                Fx.await(
                        "domains",
                        () -> e.tasks().runningProperty().get() == 0
                                && !e.erasure().domain().getItems().isEmpty());
                Fx.run(() -> e.erasure()
                        .domain()
                        .setValue(e.erasure().domain().getItems().stream()
                                .filter(d -> d.name().equals("email"))
                                .findFirst()
                                .orElseThrow()));
                robot.clickOn("#erasure-value").write("Jane.Roe@Example.org");
                robot.clickOn("#erasure-reason").write("GDPR request 2026-117 (erasure, art. 17)");
                robot.clickOn("#erasure-find");
                Fx.await(
                        "found",
                        () -> !e.erasure().runningProperty().get()
                                && !e.erasure().rows().getItems().isEmpty());
                Thread.sleep(800);
                ScreenshotTest.save(InspectorUi.stageOf(e), dir.resolve("governance-erasure.png"));
                ui.close(e);
            }
        }
    }
}
