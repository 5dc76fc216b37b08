package io.sqspii.connect.policy;

import io.sqspii.dataset.TransformPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Reads the PII catalog from PostgreSQL at every check: a dataset applied (or evolved) while the worker runs is
 * judged by its current definition, and connector configs are submitted rarely. The driver is called directly, not
 * through DriverManager, which would not see a driver that only this plugin's class loader holds.
 */
final class PostgresCatalog implements DatasetCatalog {

    private static final String QUERY = """
      SELECT d.dataset, d.queue, d.topic, d.dead_letter_topic, c.json_pointer, c.in_array, c.array_item_pointer, c.mode
        FROM public.pii_datasets d
        LEFT JOIN public.pii_columns c ON c.dataset = d.dataset AND c.table_name = d.table_name
       WHERE d.topic = ? OR d.dead_letter_topic = ?
       ORDER BY c.json_pointer, c.array_item_pointer""";

    private final String url;
    private final Properties login;

    PostgresCatalog(String url, String user, String password) {
        this.url = url;
        this.login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password);
        login.setProperty("ApplicationName", "sqs-pii-connect connector policy");
        login.setProperty("connectTimeout", "10");
        login.setProperty("socketTimeout", "30");
    }

    @Override
    public Optional<Dataset> byTopic(String topic) throws UnavailableException {
        try (Connection c = new Driver().connect(url, login)) {
            if (c == null) {
                throw new UnavailableException("the PII catalog URL is not a PostgreSQL JDBC URL", null);
            }
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(QUERY)) {
                ps.setString(1, topic);
                ps.setString(2, topic);
                try (ResultSet rs = ps.executeQuery()) {
                    return read(rs);
                }
            }
        } catch (SQLException e) {
            // the SQL state only: a message may echo the URL or the login
            throw new UnavailableException("the PII catalog cannot be read (SQL state " + e.getSQLState() + ")", null);
        }
    }

    private static Optional<Dataset> read(ResultSet rs) throws SQLException {
        String name = null;
        String queue = null;
        String topic = null;
        String deadLetterTopic = null;
        List<Field> fields = new ArrayList<>();
        while (rs.next()) {
            name = rs.getString(1);
            queue = rs.getString(2);
            topic = rs.getString(3);
            deadLetterTopic = rs.getString(4);
            String pointer = rs.getString(5);
            if (pointer != null) {
                fields.add(new Field(
                        TransformPath.of(pointer, rs.getBoolean(6) ? rs.getString(7) : null), rs.getString(8)));
            }
        }
        return name == null ? Optional.empty() : Optional.of(new Dataset(name, queue, topic, deadLetterTopic, fields));
    }
}
