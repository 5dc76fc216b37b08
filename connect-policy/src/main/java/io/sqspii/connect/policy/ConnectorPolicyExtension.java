package io.sqspii.connect.policy;

import jakarta.ws.rs.Priorities;
import java.util.Map;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Connect REST extension that refuses connector configs outside the worker's connector policy (the
 * {@code sqspii.policy.*} worker properties, see connect-policy/README.md). List it in
 * {@code rest.extension.classes} after the basic-auth extension; its filter runs after authentication.
 */
public final class ConnectorPolicyExtension implements ConnectRestExtension {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorPolicyExtension.class);

    private ConnectorPolicy policy;

    @Override
    public void configure(Map<String, ?> workerProperties) {
        PolicyConfig config = new PolicyConfig(workerProperties);
        policy = new ConnectorPolicy(config, new EnvReferences(System.getenv()), catalog(config));
        // what the policy allows, never a URL (it may carry credentials)
        LOG.info(
                "connector policy: connector classes {}, transforms {}, predicates {}, protected topics /{}/, "
                        + "{} database URL(s), PII catalog {}",
                config.list(PolicyConfig.ALLOWED_CONNECTOR_CLASSES),
                config.list(PolicyConfig.ALLOWED_TRANSFORM_TYPES),
                config.list(PolicyConfig.ALLOWED_PREDICATE_TYPES),
                config.getString(PolicyConfig.PROTECTED_TOPICS_REGEX),
                config.list(PolicyConfig.JDBC_ALLOWED_URLS).size(),
                config.getString(PolicyConfig.CATALOG_URL).isBlank() ? "not configured" : "configured");
    }

    private static DatasetCatalog catalog(PolicyConfig config) {
        String url = config.getString(PolicyConfig.CATALOG_URL);
        if (url.isBlank()) {
            return topic -> {
                throw new DatasetCatalog.UnavailableException("no PII catalog is configured", null);
            };
        }
        return new PostgresCatalog(
                url.trim(),
                config.getString(PolicyConfig.CATALOG_USER),
                config.getPassword(PolicyConfig.CATALOG_PASSWORD).value());
    }

    @Override
    public void register(ConnectRestExtensionContext context) {
        if (policy == null) {
            throw new IllegalStateException("ConnectorPolicyExtension was not configured");
        }
        context.configurable().register(new PolicyFilter(policy, context.clusterState()), Priorities.AUTHORIZATION);
    }

    @Override
    public String version() {
        String version = ConnectorPolicyExtension.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }

    @Override
    public void close() {}
}
