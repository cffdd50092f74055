package dev.switchboard.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real entry point in its own process: configuration errors, start-up on defaults, and SIGTERM. */
class ShutdownTest {
    private static ProcessBuilder gateway(Path dataDir, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
        pb.environment().put("SWITCHBOARD_HTTP_PORT", "0");
        pb.environment().put("SWITCHBOARD_SMPP_SERVER_PORT", "0");
        pb.environment().put("SWITCHBOARD_DATABASE_EMBEDDED_DATA_DIR", dataDir.toString());
        return pb;
    }

    @Test
    void sigtermStopsAcceptingAndStopsTheEmbeddedDatabase(@TempDir Path dataDir) throws Exception {
        Process process = gateway(dataDir).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.contains("Switchboard listening on")) {
                    break;
                }
            }
            int port = Integer.parseInt(Files.readString(dataDir.resolve("http.port")).trim());
            HttpResponse<String> ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode());
            assertTrue(Files.exists(dataDir.resolve("postgres").resolve("postmaster.pid")), "the embedded database runs");
            assertTrue(output.stream().anyMatch(l -> l.startsWith("Generated admin token")), "the generated token is shown once");

            // Process.destroy() would also close our end of its output, so the signal goes through kill(1).
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the gateway exits after SIGTERM");
            while ((line = lines.readLine()) != null) {
                output.add(line);
            }
        } finally {
            process.destroyForcibly();
        }
        String log = String.join("\n", output);
        assertTrue(log.contains("shut down cleanly"), log);
        assertFalse(Files.exists(dataDir.resolve("postgres").resolve("postmaster.pid")), "the embedded database stopped");
    }

    @Test
    void invalidConfigurationStopsStartUpNamingTheKey(@TempDir Path dataDir) throws Exception {
        ProcessBuilder pb = gateway(dataDir);
        pb.environment().put("SWITCHBOARD_DEVICES_MAX_COMPANIONS", "many");
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        assertTrue(out.contains("devices.maxCompanions"), out);
    }
}
