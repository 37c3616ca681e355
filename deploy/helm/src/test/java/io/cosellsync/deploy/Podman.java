package io.cosellsync.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's podman as {@code deploy/images/podman-env.sh} sets it up (runc, vfs storage under {@code target/images},
 * explicit ulimits, host networking only): the store the images were built into by {@code deploy/images/build.sh}.
 */
final class Podman {

    static final Path IMAGES_WORK = Path.of("../../target/images").toAbsolutePath().normalize();

    private Podman() {
    }

    static boolean available() {
        return Files.isRegularFile(IMAGES_WORK.resolve("containers.conf"));
    }

    /** Runs podman with these arguments; its output, or an exception with it when it fails. */
    static String run(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CONTAINERS_CONF", IMAGES_WORK.resolve("containers.conf").toString());
        builder.environment().put("CONTAINERS_STORAGE_CONF", IMAGES_WORK.resolve("storage.conf").toString());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("podman " + arguments + " did not end");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("podman " + String.join(" ", arguments) + " exited " + process.exitValue()
                    + ":\n" + text);
        }
        return text.trim();
    }

    static String run(String... arguments) throws IOException, InterruptedException {
        return run(List.of(arguments));
    }

    /** The image's size in MB, as the store holds it. */
    static long sizeMb(String image) throws IOException, InterruptedException {
        return Long.parseLong(run("image", "inspect", "--format", "{{.Size}}", image)) / 1_000_000;
    }

    /** The last lines a container printed (for a failure's message); never throws. */
    static String logs(String container) {
        try {
            String all = run("logs", container);
            return all.substring(Math.max(0, all.length() - 4000));
        } catch (IOException | InterruptedException e) {
            return "(no logs: " + e.getMessage() + ")";
        }
    }

    static void remove(String container) {
        try {
            run("rm", "-f", "--time", "10", container);
        } catch (IOException | InterruptedException e) {
            System.err.println("could not remove " + container + ": " + e.getMessage());
        }
    }
}
