package io.cosellsync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A rendered pod (of a Deployment or a Job) as a {@code podman run}: its first container's image, arguments and
 * environment (values as given, secret references filled from the test's Secret), user and group, read-only root,
 * {@code /tmp} as a bounded tmpfs, memory limit, and each ConfigMap volume written out as files and mounted read-only
 * where the container mounts it. What it changes, and why, is explicit: the HTTP port (every pod listens on 8080, but
 * here all share the host's network) and any extra read-only mounts a test adds.
 */
final class PodLaunch {

    private PodLaunch() {
    }

    /**
     * @param name       the container's name
     * @param workload   a rendered Deployment or Job
     * @param configMaps the release's rendered ConfigMaps, by name
     * @param secret     the release Secret's keys and values
     * @param httpPort   the port the pod listens on here (null: as rendered)
     * @param extraMounts host path → container path, read-only
     */
    static List<String> arguments(String name, JsonNode workload, Map<String, JsonNode> configMaps,
            Map<String, String> secret, Integer httpPort, Map<Path, String> extraMounts) throws IOException {
        JsonNode pod = workload.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network=host"));
        JsonNode security = pod.path("securityContext");
        args.add("--user=" + security.path("runAsUser").asText() + ":" + security.path("runAsGroup").asText("0"));
        if (container.path("securityContext").path("readOnlyRootFilesystem").asBoolean(false)) {
            args.add("--read-only");
        }
        args.add("--security-opt=no-new-privileges");
        args.add("--cap-drop=all");
        String memory = container.path("resources").path("limits").path("memory").asText("");
        if (memory.endsWith("Mi")) {
            args.add("--memory=" + memory.substring(0, memory.length() - 2) + "m");
        }
        for (JsonNode mount : container.path("volumeMounts")) {
            JsonNode volume = volume(pod, mount.path("name").asText());
            String target = mount.path("mountPath").asText();
            if (volume.has("emptyDir")) {
                String size = volume.path("emptyDir").path("sizeLimit").asText("64Mi").replace("Mi", "m");
                args.add("--tmpfs=" + target + ":rw,size=" + size + ",mode=1777");
            } else if (volume.has("configMap")) {
                JsonNode configMap = configMaps.get(volume.path("configMap").path("name").asText());
                if (configMap == null) {
                    throw new IllegalStateException("the release renders no ConfigMap "
                            + volume.path("configMap").path("name").asText());
                }
                args.add("--volume=" + files(configMap) + ":" + target + ":ro");
            } else {
                throw new IllegalStateException("no way to mount volume " + volume);
            }
        }
        extraMounts.forEach((host, target) -> args.add("--volume=" + host + ":" + target + ":ro"));
        for (JsonNode env : container.path("env")) {
            String variable = env.path("name").asText();
            String value;
            if (env.has("valueFrom")) {
                String key = env.path("valueFrom").path("secretKeyRef").path("key").asText();
                value = secret.get(key);
                if (value == null) {
                    throw new IllegalStateException(variable + " refers to the Secret's key " + key
                            + ", which the test's Secret lacks");
                }
            } else {
                value = env.path("value").asText();
            }
            if (variable.equals("QUARKUS_HTTP_PORT") && httpPort != null) {
                value = httpPort.toString();
            }
            if (variable.equals("INGRESS_WEBHOOKS_PUBLIC_PORT") && httpPort != null) {
                value = Integer.toString(httpPort + 8); // ingress's public port beside its own, as 8088 by 8080
            }
            args.add("--env=" + variable + "=" + value);
        }
        args.add(container.path("image").asText());
        container.path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new IllegalStateException("the pod mounts a volume it does not declare: " + name);
    }

    /** The ConfigMap's data as files in a new directory the container's user may read. */
    private static Path files(JsonNode configMap) throws IOException {
        Path directory = Files.createTempDirectory("configmap");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        var fields = configMap.path("data").fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            Path file = directory.resolve(entry.getKey());
            Files.writeString(file, entry.getValue().asText());
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return directory;
    }
}
