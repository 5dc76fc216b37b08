package io.sqspii.inspector.testing;

import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.reveal.RevealClient;
import io.sqspii.inspector.ui.MainView;
import io.sqspii.inspector.ui.Styles;
import io.sqspii.inspector.ui.UiSettings;
import java.io.File;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The inspector's main window as a test fixture (TestFX, headless under Monocle): before each test it
 * opens, for one login of a {@link TestDb}, the window the app shows after a connect (scene shortcuts
 * installed, the Logins tab loading); after each test it closes it as Disconnect does (session, reveal
 * password, revealed text) and lets TestFX clean up. Test methods get an {@link FxRobot} parameter.
 *
 * <pre>
 * {@literal @}RegisterExtension
 * final InspectorWindow window = InspectorWindow.as(db, analyst).pageSize(10);
 * </pre>
 *
 * Every test login's password is {@value #PASSWORD}.
 */
public final class InspectorWindow implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    public static final String PASSWORD = "pw";
    /** Where no reveal service listens: for logins that never reveal. */
    public static final String NO_SERVICE = "http://127.0.0.1:9";

    private final TestDb db;
    private final String login;
    private final FxRobot robot = new FxRobot();
    private String revealUrl = NO_SERVICE;
    private int pageSize = 100;
    private String remembered;
    private File exportTo;
    private Runnable onDisconnect = () -> { };
    private volatile MainView main;
    private Application app;

    private InspectorWindow(TestDb db, String login) {
        this.db = db;
        this.login = login;
    }

    /** The window of {@code login} (password {@value #PASSWORD}) on {@code db}. */
    public static InspectorWindow as(TestDb db, String login) {
        return new InspectorWindow(db, login);
    }

    /** Rows per page (default 100, the app's). */
    public InspectorWindow pageSize(int rows) {
        this.pageSize = rows;
        return this;
    }

    /** The dataset the settings remember from an earlier session (default: none, the first readable is shown). */
    public InspectorWindow dataset(String name) {
        this.remembered = name;
        return this;
    }

    /** Where Export CSV… writes, as if chosen in the file dialog (default: the dialog is cancelled). */
    public InspectorWindow exportTo(File file) {
        this.exportTo = file;
        return this;
    }

    /** The reveal service's URL (default {@link #NO_SERVICE}). */
    public InspectorWindow revealService(String url) {
        this.revealUrl = url;
        return this;
    }

    /** Runs after Disconnect closed the session (where the app goes back to its connect dialog). */
    public InspectorWindow onDisconnect(Runnable r) {
        this.onDisconnect = r;
        return this;
    }

    /** The open window. */
    public MainView main() {
        return main;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        FxToolkit.registerPrimaryStage();
        app = FxToolkit.setupApplication(() -> new Application() {
            @Override
            public void start(Stage stage) {
                main = open(stage);
            }
        });
    }

    private MainView open(Stage stage) {
        Session session = Session.open(db.settings(login, PASSWORD));
        UiSettings settings = new UiSettings(pageSize, Duration.seconds(30), (owner, name) -> exportTo,
                UiSettings.Remembered.inMemory(remembered));
        MainView view = new MainView(session, db.url, new RevealClient(revealUrl, login, PASSWORD.toCharArray()), settings,
                onDisconnect);
        Scene scene = Styles.styled(new Scene(view.root(), 1280, 760));
        view.installShortcuts(scene);
        stage.setScene(scene);
        stage.show();
        view.start();
        return view;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            if (main != null) {
                Fx.run(main::close);
            }
        } finally {
            FxToolkit.cleanupAfterTest(robot, app);
            WaitForAsyncUtils.waitForFxEvents();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FxRobot.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return robot;
    }
}
