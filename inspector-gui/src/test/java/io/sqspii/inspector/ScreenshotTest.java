package io.sqspii.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.util.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Not a check: renders the main window on a seeded database (headless) and writes it as PNG.
 * {@code ./mvnw -B -pl inspector-gui test -Dtest=ScreenshotTest -Dinspector.screenshot=$PWD/docs/inspector.png}
 */
@EnabledIfSystemProperty(named = "inspector.screenshot", matches = ".+")
@ExtendWith(ApplicationExtension.class)
class ScreenshotTest {

    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void mainWindow(FxRobot robot) throws Exception {
        try (TestDb db = TestDb.create()) {
            List<SeedData.Login> seeded = SeedData.logins(db, 240, Masking.real());
            Masking.seedRejected(db);
            String login = db.createLogin("pii_reader", "pw");
            Session session = Session.open(db.settings(login, "pw"));
            MainView main = new MainView(session, "jdbc:postgresql://db.internal:5432/logins", Masking.keyRing(),
                    new UiSettings(100, Duration.seconds(30), w -> null));
            Fx.run(() -> {
                Scene scene = Styles.styled(new Scene(main.root(), 1280, 760));
                stage.setScene(scene);
                stage.show();
                main.start();
            });
            @SuppressWarnings("unchecked")
            TableView<Row> t = robot.lookup("#user_logins-table").queryAs(TableView.class);
            Fx.await("rows", () -> t.getItems().size() == 100);
            Fx.await("count", () -> robot.lookup("#user_logins-count").queryLabeled().getText().endsWith("rows"));
            // reveal one IP, as an analyst with the pii_reader role would
            int rowIndex = 2;
            Fx.run(() -> t.getSelectionModel().select(rowIndex, t.getColumns().get(TableSpec.LOGINS.indexOf("masked_ip"))));
            Fx.run(() -> main.logins().reasonField().setText("INC-2291: account takeover report"));
            if (Masking.keyRing() != null) {
                robot.clickOn("#user_logins-reveal");
                Fx.await("revealed", () -> robot.lookup("#user_logins-revealedBox").query().isVisible());
            }
            Fx.await("idle", () -> main.tasks().runningProperty().get() == 0);
            Thread.sleep(300);
            WritableImage img = Fx.call(() -> stage.getScene().snapshot(null));
            Path out = Path.of(System.getProperty("inspector.screenshot"));
            Files.createDirectories(out.toAbsolutePath().getParent());
            ImageIO.write(toBuffered(img), "png", out.toFile());
            assertThat(new File(out.toString())).exists();
            assertThat(seeded).isNotEmpty();
            Fx.run(main::close);
        }
    }

    static BufferedImage toBuffered(WritableImage img) {
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader r = img.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b.setRGB(x, y, r.getArgb(x, y));
            }
        }
        return b;
    }

    static String id() {
        return UUID.randomUUID().toString();
    }
}
