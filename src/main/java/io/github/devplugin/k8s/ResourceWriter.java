package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * How {@code apply} writes one object to the cluster. The plugin always uses {@link #serverSideApply()}; the
 * interface exists so the create/update/prune flow can also be exercised against fabric8's mock server in CRUD mode,
 * which does not implement server-side apply.
 */
@FunctionalInterface
public interface ResourceWriter {
  /** The field manager every object is applied with. */
  String FIELD_MANAGER = "devplugin";

  /**
   * Writes (or, with {@code dryRun}, only validates on the server) the desired state of one object.
   *
   * @return the object as the server stored it (or would store it)
   */
  HasMetadata write(KubernetesClient client, HasMetadata desired, boolean dryRun);

  /**
   * Server-side apply ({@code PATCH application/apply-patch+yaml}) with field manager {@code devplugin}, taking over
   * fields another manager (a manual {@code kubectl edit}) changed; {@code dryRun=All} for dry runs.
   */
  static ResourceWriter serverSideApply() {
    return (client, desired, dryRun) -> {
      if (dryRun) {
        return client.resource(desired).dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      }
      return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    };
  }
}
