package io.sqspii.inspector.ui;

import io.sqspii.inspector.data.ConnectionSettings;
import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.model.Row;
import io.sqspii.inspector.reveal.RevealClient;
import io.sqspii.inspector.testing.Fx;
import io.sqspii.inspector.testing.InspectorUi;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TableView;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.util.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * Not a check: the documentation screenshots, taken from a real database and a running reveal service
 * (e.g. the local pipeline's {@code --follow} run): the Logins tab with one IP revealed through the
 * service, and the Overview tab. Run under Xvfb with the real glass platform, see the README.
 */
@EnabledIfSystemProperty(named = "inspector.screenshot.dir", matches = ".+")
class ScreenshotTest {

    @RegisterExtension
    final InspectorUi ui = InspectorUi.empty();

    @Test
    void loginsWithARevealAndTheOverview(FxRobot robot) throws Exception {
        String url = System.getProperty("shot.url", "jdbc:postgresql://localhost:5432/sqspii");
        String user = System.getProperty("shot.user");
        String password = System.getProperty("shot.password");
        Session session = Session.open(new ConnectionSettings(url, user, password.toCharArray()));
        MainView main = new MainView(
                session,
                url,
                new RevealClient(
                        System.getProperty("shot.reveal", RevealClient.DEFAULT_URL), user, password.toCharArray()),
                new UiSettings(100, Duration.seconds(120), (w, name) -> null),
                () -> {});
        ui.show(main, 1280, 760);
        @SuppressWarnings("unchecked")
        TableView<Row> t = robot.lookup("#user_logins-table").queryAs(TableView.class);
        Fx.await(
                "rows",
                () -> t.getItems().size() == 100
                        && main.tasks().runningProperty().get() == 0
                        && robot.lookup("#user_logins-count")
                                .queryLabeled()
                                .getText()
                                .endsWith("rows"));
        Fx.run(() -> {
            t.getSelectionModel().select(2, Fx.column(t, "masked_ip"));
            t.requestFocus();
        });
        Fx.run(() -> main.rows().reasonField().setText("INC-2291: account takeover report"));
        robot.clickOn("#user_logins-reveal");
        confirmIfAsked(robot);
        Fx.await(
                "revealed",
                () -> robot.lookup("#user_logins-revealedBox").query().isVisible());
        Thread.sleep(500);
        save(Path.of(System.getProperty("inspector.screenshot.dir"), "inspector.png"));

        Fx.run(() -> main.tabs().getSelectionModel().select(main.overviewTab()));
        Fx.await(
                "overview",
                () -> main.overview().shown() != null
                        && main.tasks().runningProperty().get() == 0);
        Thread.sleep(1000);
        save(Path.of(System.getProperty("inspector.screenshot.dir"), "overview.png"));
        Fx.run(main::close);
    }

    private void save(Path out) throws Exception {
        save(ui.stage(), out);
    }

    /** Clicks Reveal in the confirmation, if the reveal asks for one (many or shared values). */
    static void confirmIfAsked(FxRobot robot) throws InterruptedException {
        Thread.sleep(1500);
        if (robot.lookup("#revealConfirmation").tryQuery().isPresent()) {
            DialogPane d = robot.lookup("#revealConfirmation").queryAs(DialogPane.class);
            Node go = Fx.call(() -> d.getButtonTypes().stream()
                    .filter(b -> b.getText().equals("Reveal"))
                    .map(b -> (Button) d.lookupButton(b))
                    .findFirst()
                    .orElseThrow());
            robot.clickOn(go);
        }
    }

    /** The stage's scene as a PNG (Scene.snapshot: the window's content, pixel for pixel). */
    static void save(Stage stage, Path out) throws Exception {
        WritableImage img = Fx.call(() -> stage.getScene().snapshot(null));
        Files.createDirectories(out.toAbsolutePath().getParent());
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        PixelReader r = img.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b.setRGB(x, y, r.getArgb(x, y));
            }
        }
        ImageIO.write(b, "png", out.toFile());
    }
}
