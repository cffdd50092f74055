package dev.switchboard.bench;

import dev.switchboard.bench.idle.Await;
import dev.switchboard.bench.idle.BareWebSocketServer;
import dev.switchboard.bench.idle.ClassHistogram;
import dev.switchboard.bench.idle.ClientFleet;
import dev.switchboard.bench.idle.IdleClients;
import dev.switchboard.bench.idle.IdleDevice;
import dev.switchboard.bench.idle.InProcessEnrollment;
import dev.switchboard.bench.idle.ProcessMemory;
import dev.switchboard.bench.idle.SmppInjector;
import dev.switchboard.bench.support.BenchDatabase;
import dev.switchboard.bench.support.BenchGateway;
import dev.switchboard.bench.support.Percentiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * As many idle devices on the WebSocket stream as the machine allows (up to 20,000 by default):
 * heap and resident memory per connection on the gateway's side, and the time to push one event to
 * all of them. The devices are enrolled devices (primary + 4 companions per number) whose sockets
 * live in child JVMs; the gateway runs in this process. Baseline in the same run and process: a bare
 * Vert.x WebSocket server holding as many idle connections (its heap and RSS per connection).
 * The push is one inbound SMS per number over the gateway's SMPP server; every device must get its
 * number's {@code message.created} exactly once.
 */
final class IdleDevices implements Scenario {
    /** A primary and the 4 companions a number may have by default. */
    static final int DEVICES_PER_NUMBER = 5;
    static final double TARGET_KB_PER_CONNECTION = 20;
    private static final String NUMBER_PREFIX = "+3906190";
    private static final String SMPP_ACCOUNT = "idle";
    private static final int API_PARALLELISM = 4;

    @Override
    public String name() { return "idle-devices"; }

    @Override
    public String description() {
        return "N idle devices on /v1/stream: gateway heap and RSS per connection vs a bare Vert.x WebSocket server, and one event"
                + " pushed to all (--devices, --perChild, --inFlight, --binds, --window, --enroll auto|api|inprocess, --apiSampleNumbers)";
    }

    @Override
    public Result run(Options o) throws Exception {
        long wallStart = System.nanoTime();
        int requested = o.integer("devices", 50, 20_000);
        int poolSize = o.integer("pool", 16, 16);
        int binds = o.integer("binds", 2, 4);
        int window = o.integer("window", 8, 32);
        int inFlight = o.integer("inFlight", 32, 256);
        String enroll = o.values().getOrDefault("enroll", "auto");
        if (!List.of("auto", "api", "inprocess").contains(enroll)) {
            throw new IllegalArgumentException("--enroll must be auto, api or inprocess");
        }
        JsonObject details = new JsonObject().put("requestedDevices", requested).put("devicesPerNumber", DEVICES_PER_NUMBER)
                .put("binds", binds).put("window", window).put("poolSize", poolSize)
                .put("target", "under " + (int) TARGET_KB_PER_CONNECTION + " KB (1 KB = 1,024 bytes) of gateway heap per idle device");
        Path work = Files.createTempDirectory("idle-devices");
        // Every number the run may serve (the size is known only once the gateway runs): the ESME may deliver to them.
        JsonArray mayServe = new JsonArray();
        for (int i = 0; i < (requested + DEVICES_PER_NUMBER - 1) / DEVICES_PER_NUMBER; i++) {
            mayServe.add(number(i));
        }
        Map<String, String> env = Map.of("SWITCHBOARD_SMPP_SERVER_ACCOUNTS", new JsonArray().add(new JsonObject().put("systemId", SMPP_ACCOUNT)
                .put("password", SMPP_ACCOUNT).put("numbers", mayServe).put("throughput", 100_000)).encode());
        try (BenchDatabase db = BenchDatabase.start(); BenchGateway gateway = BenchGateway.start(db, poolSize, true, env)) {
            int perChild = Math.max(1, Math.min(o.integer("perChild", 10_000, 10_000), childSocketLimit()));
            int size = capacity(requested, poolSize, binds, perChild, details);
            details.put("devices", size).put("perChild", perChild).put("clientProcesses", (size + perChild - 1) / perChild);

            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < (size + DEVICES_PER_NUMBER - 1) / DEVICES_PER_NUMBER; i++) {
                numbers.add(number(i));
            }
            details.put("numbers", numbers.size());
            List<IdleDevice> devices = enroll(db, gateway, numbers, size, enroll, o, details);

            JsonObject ours = new JsonObject();
            Delivery delivery = gatewayPhase(gateway, numbers, devices, perChild, inFlight, binds, window, work, ours);
            JsonObject bare = new JsonObject();
            ClassHistogram.Growth bareGrowth = baselinePhase(devices, perChild, inFlight, work, bare);
            details.put("gateway", ours).put("baseline", bare)
                    .put("gatewayOverBaselinePerConnection", delivery.heapGrowth().minus(bareGrowth).top(20));

            double kb = ours.getDouble("heapBytesPerConnection") / 1024;
            double bareKb = bare.getDouble("heapBytesPerConnection") / 1024;
            double resident = ours.getDouble("residentBytesPerConnection");
            double bareResident = bare.getDouble("residentBytesPerConnection");
            details.put("residentRatio", bareResident > 0 ? round(resident / bareResident) : null);
            details.put("targetMet", kb < TARGET_KB_PER_CONNECTION);
            details.put("wallSeconds", round((System.nanoTime() - wallStart) / 1e9));
            return new Result(name(), o.quick(), kb, "KB heap/connection",
                    new Result.Baseline("bare Vert.x WebSocket server, same process", bareKb, "KB heap/connection"),
                    delivery.lost(), delivery.duplicated(), Percentiles.ofMicros(delivery.micros()), details);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String number(int index) {
        return String.format("%s%05d", NUMBER_PREFIX, index);
    }

    /** A child holds its sockets plus its own jars and pipes: keep 256 descriptors of its limit for those. */
    private static int childSocketLimit() {
        long soft = ProcessMemory.fdLimits().soft();
        return (int) Math.min(Integer.MAX_VALUE, soft - 256);
    }

    /**
     * How many devices this process can hold: every server-side socket is a descriptor of this
     * process, which also needs its pool's connections to PostgreSQL, the SMPP binds (both ends live
     * here), the pipes to the children, the API enrollment's kept-alive HTTP connections (both ends)
     * and some slack. Linux's local port range caps client sockets to one server address too.
     */
    private static int capacity(int requested, int poolSize, int binds, int perChild, JsonObject details) {
        ProcessMemory.FdLimits fds = ProcessMemory.fdLimits();
        int children = (requested + perChild - 1) / perChild;
        long reserve = poolSize + 2L * binds + 3L * children + 2L * API_PARALLELISM + 64;
        long byFds = fds.soft() - fds.open() - reserve;
        int ports = ProcessMemory.ephemeralPorts();
        int size = (int) Math.max(0, Math.min(requested, Math.min(byFds, ports)));
        String cappedBy;
        if (size == requested) {
            cappedBy = "the requested size";
        } else if (size == byFds) {
            cappedBy = "the open-file limit of the gateway process: soft " + fds.soft() + ", hard " + fds.hard() + ", " + fds.open()
                    + " open before connecting, " + reserve + " kept for PostgreSQL, SMPP, child pipes and slack";
        } else {
            cappedBy = "Linux's local port range (" + ports + " ports)";
        }
        details.put("capacity", new JsonObject().put("fdSoftLimit", fds.soft()).put("fdHardLimit", fds.hard()).put("fdsOpenAtStart", fds.open())
                .put("fdsReserved", reserve).put("ephemeralPorts", ports).put("cappedBy", cappedBy));
        System.out.println("idle-devices: " + size + " devices (" + cappedBy + ")");
        if (size == 0) {
            throw new IllegalStateException("no descriptors left for devices: " + details.getJsonObject("capacity"));
        }
        return size;
    }

    /**
     * Enrolls the devices: a sample of numbers through the HTTP API (timed), then the rest through
     * the API too, or through the inbox services in-process when the API would take longer than
     * {@code --apiBudgetSeconds} at the sample's rate ({@code --enroll auto}), or as forced.
     * Returns the devices with their stream cursors (the number's last event, so none has
     * anything to catch up on: idle from the first moment).
     */
    private static List<IdleDevice> enroll(BenchDatabase db, BenchGateway gateway, List<String> numbers, int size, String mode, Options o,
                                           JsonObject details) throws Exception {
        int sample = Math.min(numbers.size(), o.integer("apiSampleNumbers", 2, 10));
        int budget = o.integer("apiBudgetSeconds", 240, 240);
        Map<String, Integer> companions = new LinkedHashMap<>();
        for (int i = 0; i < numbers.size(); i++) {
            companions.put(numbers.get(i), Math.min(DEVICES_PER_NUMBER, size - i * DEVICES_PER_NUMBER) - 1);
        }
        Map<String, List<String>> tokens = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        enrollThroughApi(gateway, numbers.subList(0, sample), companions, tokens);
        double sampleSeconds = (System.nanoTime() - t0) / 1e9;
        int sampleDevices = tokens.values().stream().mapToInt(List::size).sum();
        double apiRate = sampleDevices / Math.max(sampleSeconds, 1e-3);
        double projected = size / apiRate;
        boolean inProcess = mode.equals("inprocess") || (mode.equals("auto") && projected > budget);
        JsonObject e = new JsonObject().put("apiSampleDevices", sampleDevices).put("apiSampleSeconds", round(sampleSeconds))
                .put("apiDevicesPerSecond", round(apiRate)).put("projectedApiSecondsForAll", round(projected)).put("apiBudgetSeconds", budget)
                .put("rest", inProcess ? "in-process through the inbox services (NumberService, DeviceService, LinkService), not HTTP"
                        : "HTTP API");
        System.out.printf("idle-devices: API enrollment %.1f devices/s (JIT warming up), all %d would take ~%.0f s: the rest %s%n",
                apiRate, size, projected, inProcess ? "in-process" : "through the API");
        List<String> rest = numbers.subList(sample, numbers.size());
        long t1 = System.nanoTime();
        try (InProcessEnrollment direct = new InProcessEnrollment(db, 16)) {
            if (inProcess) {
                Map<String, Integer> restCompanions = new LinkedHashMap<>();
                rest.forEach(n -> restCompanions.put(n, companions.get(n)));
                tokens.putAll(direct.enroll(restCompanions, 16));
            } else {
                enrollThroughApi(gateway, rest, companions, tokens);
            }
            e.put("restSeconds", round((System.nanoTime() - t1) / 1e9));
            List<IdleDevice> devices = new ArrayList<>();
            for (int i = 0; i < numbers.size(); i++) {
                String number = numbers.get(i);
                long since = direct.lastSeq(number);
                for (String token : tokens.get(number)) {
                    devices.add(new IdleDevice(devices.size(), number, i, since, token));
                }
            }
            details.put("enrollment", e.put("seconds", round((System.nanoTime() - t0) / 1e9)));
            if (devices.size() != size) {
                throw new IllegalStateException("enrolled " + devices.size() + " devices, wanted " + size);
            }
            return devices;
        }
    }

    private static void enrollThroughApi(BenchGateway gateway, List<String> numbers, Map<String, Integer> companions,
                                         Map<String, List<String>> tokens) throws Exception {
        Map<Integer, List<String>> byCompanions = new LinkedHashMap<>();
        numbers.forEach(n -> byCompanions.computeIfAbsent(companions.get(n), k -> new ArrayList<>()).add(n));
        for (var group : byCompanions.entrySet()) {
            gateway.enroll(group.getValue(), group.getKey(), API_PARALLELISM)
                    .forEach((number, list) -> tokens.put(number, list.stream().map(BenchGateway.BenchDevice::token).toList()));
        }
    }

    /** The push's correctness counters, and each device's delay from its number's submit to its frame (us). */
    private record Delivery(long lost, long duplicated, Histogram micros, ClassHistogram.Growth heapGrowth) {}

    /**
     * Connects every device to the gateway's stream, measures the gateway's process before and
     * after, pushes one inbound SMS per number and checks every device got its event once.
     * Puts its figures into {@code out}.
     */
    private static Delivery gatewayPhase(BenchGateway gateway, List<String> numbers, List<IdleDevice> devices, int perChild, int inFlight,
                                       int binds, int window, Path work, JsonObject out) throws Exception {
        System.out.println("idle-devices: gateway: measuring before connecting");
        ProcessMemory.Snapshot before = ProcessMemory.snapshot();
        int fdsBefore = ProcessMemory.openFds();
        long t0 = System.nanoTime();
        List<ClientFleet.Receipt> receipts;
        SmppInjector.Injection push;
        boolean allReceived;
        ClassHistogram.Growth growth;
        try (ClientFleet fleet = ClientFleet.start("gateway", "127.0.0.1", gateway.httpPort(), true, devices, perChild, inFlight, work)) {
            ClientFleet.Connected c = fleet.awaitConnected(Duration.ofSeconds(120 + devices.size() / 50));
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("idle-devices: gateway: %d connected (%d failed) in %.1f s; measuring%n", c.ok(), c.failed(), connectSeconds);
            ProcessMemory.Snapshot after = ProcessMemory.snapshot();
            int fdsAfter = ProcessMemory.openFds();
            memory(out, before, after, c.ok());
            growth = after.histogram().growthSince(before.histogram(), c.ok());
            out.put("connected", c.ok()).put("connectFailed", c.failed()).put("connectRetries", c.retried()).put("firstConnectError", c.firstError())
                    .put("connectSeconds", round(connectSeconds)).put("serverDescriptorsAdded", fdsAfter - fdsBefore)
                    .put("topClassesPerConnection", growth.top(15));

            System.out.println("idle-devices: gateway: pushing one inbound SMS to each of " + numbers.size() + " numbers");
            try (SmppInjector smpp = new SmppInjector(gateway.smppPort(), SMPP_ACCOUNT, SMPP_ACCOUNT, binds)) {
                push = smpp.pushOnePerNumber(numbers, window);
            }
            allReceived = fleet.awaitAllReceived(Duration.ofSeconds(60 + devices.size() / 100));
            receipts = fleet.report(Duration.ofSeconds(60));
        }
        // The children are gone; wait until the gateway closed its ends too, so the baseline has the descriptors.
        boolean closed = Await.until(() -> ProcessMemory.openFds() <= fdsBefore + 16, Duration.ofSeconds(120));
        out.put("serverSocketsClosedAfterward", closed);

        long lost = 0;
        long duplicated = 0;
        long misrouted = 0;
        long closedWhileIdle = 0;
        long lastArrival = 0;
        Histogram delivery = new Histogram(3);
        for (ClientFleet.Receipt r : receipts) {
            IdleDevice d = devices.get(r.index());
            if (r.frames() == 0) {
                lost++;
            } else {
                duplicated += r.frames() - 1;
                lastArrival = Math.max(lastArrival, r.firstMicros());
                long sent = push.submittedMicros().get(d.numberIndex());
                delivery.recordValue(Math.max(0, r.firstMicros() - sent));
            }
            misrouted += r.misrouted();
            closedWhileIdle += r.closedByServer() && r.frames() == 0 ? 1 : 0;
        }
        lost += devices.size() - receipts.size();
        out.put("push", new JsonObject().put("submitted", numbers.size()).put("acknowledged", push.acknowledged()).put("refused", push.refused())
                .put("injectMs", round((push.endMicros() - push.startMicros()) / 1000.0))
                .put("pushToAllMs", lastArrival == 0 ? null : round((lastArrival - push.startMicros()) / 1000.0))
                .put("allReceivedInTime", allReceived).put("devicesReceived", delivery.getTotalCount()).put("lost", lost)
                .put("duplicated", duplicated).put("otherNumbersEvents", misrouted).put("closedByServerBeforeTheEvent", closedWhileIdle)
                .put("submitToAckMs", Percentiles.json(push.ackMicros())).put("deliveryMs", Percentiles.json(delivery)));
        // An event of another number reaching a device is a delivery too many.
        return new Delivery(lost, duplicated + misrouted, delivery, growth);
    }

    /** The same devices (their tokens are ignored) on a bare Vert.x WebSocket server in this process; then one frame to all. */
    private static ClassHistogram.Growth baselinePhase(List<IdleDevice> devices, int perChild, int inFlight, Path work, JsonObject out)
            throws Exception {
        ClassHistogram.Growth growth;
        try (BareWebSocketServer bare = BareWebSocketServer.start()) {
            System.out.println("idle-devices: baseline: measuring before connecting");
            ProcessMemory.Snapshot before = ProcessMemory.snapshot();
            long t0 = System.nanoTime();
            try (ClientFleet fleet = ClientFleet.start("bare", "127.0.0.1", bare.port(), false, devices, perChild, inFlight, work)) {
                ClientFleet.Connected c = fleet.awaitConnected(Duration.ofSeconds(120 + devices.size() / 50));
                double connectSeconds = (System.nanoTime() - t0) / 1e9;
                boolean accepted = Await.until(() -> bare.open() >= c.ok(), Duration.ofSeconds(30));
                System.out.printf("idle-devices: baseline: %d connected (%d failed) in %.1f s; measuring%n", c.ok(), c.failed(), connectSeconds);
                ProcessMemory.Snapshot after = ProcessMemory.snapshot();
                memory(out, before, after, c.ok());
                growth = after.histogram().growthSince(before.histogram(), c.ok());
                out.put("connected", c.ok()).put("connectFailed", c.failed()).put("serverAcceptedAll", accepted)
                        .put("connectSeconds", round(connectSeconds)).put("topClassesPerConnection", growth.top(10));

                long start = IdleClients.micros(Instant.now());
                int written = bare.pushToAll(new JsonObject().put("type", "message.created")
                        .put("data", new JsonObject().put("text", IdleClients.MARKER + IdleClients.ALL)).encode())
                        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                long writtenAt = IdleClients.micros(Instant.now());
                boolean all = fleet.awaitAllReceived(Duration.ofSeconds(60 + devices.size() / 100));
                long last = 0;
                long received = 0;
                for (ClientFleet.Receipt r : fleet.report(Duration.ofSeconds(60))) {
                    if (r.frames() > 0) {
                        received++;
                        last = Math.max(last, r.firstMicros());
                    }
                }
                out.put("push", new JsonObject().put("framesWritten", written).put("writeLoopMs", round((writtenAt - start) / 1000.0))
                        .put("pushToAllMs", last == 0 ? null : round((last - start) / 1000.0)).put("devicesReceived", received)
                        .put("allReceivedInTime", all));
            }
        }
        return growth;
    }

    private static void memory(JsonObject out, ProcessMemory.Snapshot before, ProcessMemory.Snapshot after, int connections) {
        int n = Math.max(1, connections);
        out.put("heapUsedBefore", before.heapUsed()).put("heapUsedAfter", after.heapUsed())
                .put("heapCommittedBefore", before.heapCommitted()).put("heapCommittedAfter", after.heapCommitted())
                .put("heapBytesPerConnection", round((double) (after.heapUsed() - before.heapUsed()) / n))
                .put("liveObjectBytesPerConnection", round((double) (after.histogram().totalBytes() - before.histogram().totalBytes()) / n))
                .put("rssBefore", before.rss()).put("rssAfter", after.rss())
                .put("rssBytesPerConnection", round((double) (after.rss() - before.rss()) / n))
                .put("heapRssBefore", before.heapRss()).put("heapRssAfter", after.heapRss())
                .put("offHeapRssBytesPerConnection", round((double) (after.offHeapRss() - before.offHeapRss()) / n))
                // What a connection keeps resident: its live heap plus its memory outside the heap (the GC's headroom aside).
                .put("residentBytesPerConnection", round((double) (after.heapUsed() - before.heapUsed() + after.offHeapRss() - before.offHeapRss()) / n));
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
