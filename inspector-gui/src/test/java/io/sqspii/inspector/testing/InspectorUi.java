package io.sqspii.inspector.testing;

import io.sqspii.inspector.data.Session;
import io.sqspii.inspector.reveal.RevealClient;
import io.sqspii.inspector.ui.MainView;
import io.sqspii.inspector.ui.Styles;
import io.sqspii.inspector.ui.UiSettings;
import java.io.File;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.application.Application;
import javafx.scene.Parent;
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
 * The inspector's UI as a test fixture (TestFX, headless under Monocle): the one place that sets up stages and
 * scenes and tears them down. Before each test it starts an application on the primary stage; with {@link #as} it
 * opens there, for one login of a {@link TestDb}, the main window the app shows after a connect (scene shortcuts
 * installed, the first tab loading). A test may show a view of its own ({@link #show(Parent)}, {@link #show(MainView,
 * double, double)}) or open further main windows, each on a stage of its own ({@link #open}), for flows that pass
 * from one login to another. After each test every main window still open is closed as Disconnect does (session,
 * reveal password, revealed text) and TestFX cleans up. Test methods get an {@link FxRobot} parameter.
 *
 * <pre>
 * {@literal @}RegisterExtension
 * final InspectorUi ui = InspectorUi.as(db, analyst).pageSize(10);
 * </pre>
 *
 * Every test login's password is {@value #PASSWORD}.
 */
public final class InspectorUi implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    public static final String PASSWORD = "pw";
    /** Where no reveal service listens: for logins that never reveal. */
    public static final String NO_SERVICE = "http://127.0.0.1:9";
    /** The scene's size by default: it fits Monocle's headless screen. */
    static final double WIDTH = 1280;

    static final double HEIGHT = 760;

    private final TestDb db;
    private final String login;
    private final FxRobot robot = new FxRobot();
    private final List<MainView> opened = new CopyOnWriteArrayList<>();
    private String revealUrl = NO_SERVICE;
    private int pageSize = 100;
    private String remembered;
    private File exportTo;
    private Runnable onDisconnect = () -> {};
    private volatile MainView main;
    private volatile Stage primary;
    private Application app;

    private InspectorUi(TestDb db, String login) {
        this.db = db;
        this.login = login;
    }

    /** Before each test, the main window of {@code login} (password {@value #PASSWORD}) on {@code db}. */
    public static InspectorUi as(TestDb db, String login) {
        return new InspectorUi(db, login);
    }

    /** No window before each test: the test shows or opens its own. */
    public static InspectorUi empty() {
        return new InspectorUi(null, null);
    }

    /** Rows per page (default 100, the app's). */
    public InspectorUi pageSize(int rows) {
        this.pageSize = rows;
        return this;
    }

    /** The dataset the settings remember from an earlier session (default: none, the first readable is shown). */
    public InspectorUi dataset(String name) {
        this.remembered = name;
        return this;
    }

    /** Where Export CSV… writes, as if chosen in the file dialog (default: the dialog is cancelled). */
    public InspectorUi exportTo(File file) {
        this.exportTo = file;
        return this;
    }

    /** The reveal service's URL (default {@link #NO_SERVICE}). */
    public InspectorUi revealService(String url) {
        this.revealUrl = url;
        return this;
    }

    /** Runs after Disconnect closed the session (where the app goes back to its connect dialog). */
    public InspectorUi onDisconnect(Runnable r) {
        this.onDisconnect = r;
        return this;
    }

    /** The window opened before the test ({@link #as}). */
    public MainView main() {
        return main;
    }

    /** The primary stage: where {@link #as}'s window and what {@link #show} shows are. */
    public Stage stage() {
        return primary;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        FxToolkit.registerPrimaryStage();
        app = FxToolkit.setupApplication(() -> new Application() {
            @Override
            public void start(Stage stage) {
                primary = stage;
                if (login != null) {
                    main = new MainView(
                            Session.open(db.settings(login, PASSWORD)),
                            db.url,
                            new RevealClient(revealUrl, login, PASSWORD.toCharArray()),
                            new UiSettings(
                                    pageSize,
                                    Duration.seconds(30),
                                    (owner, name) -> exportTo,
                                    UiSettings.Remembered.inMemory(remembered)),
                            onDisconnect);
                    show(stage, main, WIDTH, HEIGHT);
                }
            }
        });
    }

    /** {@code root} in a styled scene on the primary stage, shown. */
    public Stage show(Parent root) {
        return Fx.call(() -> {
            primary.setScene(Styles.styled(new Scene(root)));
            primary.show();
            return primary;
        });
    }

    /** {@code view}, built by the test, on the primary stage as the app shows it after a connect, started. */
    public Stage show(MainView view, double width, double height) {
        return Fx.call(() -> show(primary, view, width, height));
    }

    private static Stage show(Stage stage, MainView view, double width, double height) {
        Scene scene = Styles.styled(new Scene(view.root(), width, height));
        view.installShortcuts(scene);
        stage.setScene(scene);
        stage.setTitle(view.title() + " — sqs-pii-connect inspector");
        stage.show();
        view.start();
        return stage;
    }

    /**
     * The main window of {@code login} (password {@value #PASSWORD}) on {@code db}, on a stage of its own; Export
     * CSV… writes to {@code exportTo}. {@link #close} it before opening the next, so that lookups find the nodes of
     * the window in front.
     */
    public MainView open(TestDb db, String login, String revealUrl, File exportTo) {
        return open(db, login, revealUrl, exportTo, WIDTH, HEIGHT);
    }

    /** As {@link #open(TestDb, String, String, File)}, the scene {@code width} x {@code height}. */
    public MainView open(TestDb db, String login, String revealUrl, File exportTo, double width, double height) {
        MainView view = Fx.call(() -> {
            MainView v = new MainView(
                    Session.open(db.settings(login, PASSWORD)),
                    db.url,
                    new RevealClient(revealUrl, login, PASSWORD.toCharArray()),
                    new UiSettings(
                            50, Duration.seconds(30), (owner, name) -> exportTo, UiSettings.Remembered.inMemory(null)),
                    () -> {});
            show(new Stage(), v, width, height);
            return v;
        });
        opened.add(view);
        return view;
    }

    /** Closes a window of {@link #open} as Disconnect does, and its stage. */
    public void close(MainView view) {
        opened.remove(view);
        Stage stage = stageOf(view);
        Fx.run(() -> {
            view.close();
            stage.close();
        });
    }

    /** The stage {@code view} is shown on. */
    public static Stage stageOf(MainView view) {
        return Fx.call(() -> (Stage) view.root().getScene().getWindow());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            opened.forEach(this::close);
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
