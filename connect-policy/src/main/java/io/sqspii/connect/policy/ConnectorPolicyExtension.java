package io.sqspii.connect.policy;

import jakarta.ws.rs.Priorities;
import java.util.Map;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;

/**
 * A Connect REST extension that refuses connector configs outside the worker's connector policy (the
 * {@code sqspii.policy.*} worker properties, see connect-policy/README.md). List it in
 * {@code rest.extension.classes} after the basic-auth extension; its filter runs after authentication.
 */
public final class ConnectorPolicyExtension implements ConnectRestExtension {

  private ConnectorPolicy policy;
  private WorkerProviders providers;

  @Override
  public void configure(Map<String, ?> workerProperties) {
    providers = new WorkerProviders(workerProperties);
    policy = new ConnectorPolicy(new PolicyConfig(workerProperties), providers);
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
  public void close() {
    if (providers != null) {
      providers.close();
    }
  }
}
