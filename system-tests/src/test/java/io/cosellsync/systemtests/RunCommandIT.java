package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * README's first command, as a user runs it: everything comes up healthy with demo data flowing, and Ctrl-C
 * stops every process it started. Uses the jars this build packaged and a port offset so it does not collide
 * with a copy a developer has running.
 */
class RunCommandIT {

    private static final int OFFSET = 20000;

    @Test
    void theRunCommandBringsEverythingUpAndCtrlCStopsEverything() throws Exception {
        Path state = Files.createTempDirectory("cosell-run");
        // as from a terminal: a build started in the background (nohup, '&') ignores SIGINT, and a shell cannot
        // trap a signal ignored when it starts, so the default disposition is restored for the run command
        ProcessBuilder builder = new ProcessBuilder("env", "--default-signal=INT", "bash",
                Processes.ROOT.resolve("deploy/local/run.sh").toString()).redirectErrorStream(true);
        builder.environment().put("COSELL_STATE_DIR", state.toString());
        builder.environment().put("COSELL_SKIP_BUILD", "1");
        builder.environment().put("COSELL_PORT_OFFSET", Integer.toString(OFFSET));
        builder.environment().put("COSELL_TOOLS_CLASSPATH", System.getProperty("java.class.path"));
        Process run = builder.start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(run.getInputStream(),
                    StandardCharsets.UTF_8))) {
                r.lines().forEach(output::add);
            } catch (Exception e) {
                output.add("reader failed: " + e);
            }
        });
        reader.start();
        try {
            Awaitility.await("all healthy").atMost(java.time.Duration.ofMinutes(6))
                    .pollInterval(java.time.Duration.ofSeconds(1))
                    .until(() -> output.contains("all healthy") || !run.isAlive());
            assertTrue(output.contains("all healthy"), String.join("\n", output));
            assertTrue(output.stream().anyMatch(l -> l.startsWith("demo data: referrals flowed")));
            for (int port : new int[] {8080, 8081, 8082, 8083, 8090, 8091}) {
                assertEquals(200, Processes.status("http://127.0.0.1:" + (port + OFFSET) + "/q/health/ready"),
                        "port " + (port + OFFSET));
            }
            List<Long> pids = Files.readAllLines(state.resolve("pids")).stream().map(Long::parseLong).toList();
            assertTrue(pids.size() >= 7, "broker and six applications at least: " + pids);

            // Ctrl-C
            new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
            assertTrue(run.waitFor(2, TimeUnit.MINUTES), "the run command must stop after Ctrl-C:\n"
                    + String.join("\n", output));
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                        "process " + pid + " outlived the run command");
            }
            assertEquals(0, Processes.status("http://127.0.0.1:" + (8080 + OFFSET) + "/q/health/live"));
        } finally {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
            reader.join(5000);
        }
    }
}
