package dev.switchboard.gateway;

import dev.switchboard.carrier.smpp.client.DirectSms;
import dev.switchboard.carrier.smpp.client.SmppCarrier;
import dev.switchboard.carrier.smpp.client.SmppOutboxWorker;
import dev.switchboard.carrier.smpp.server.SmppServer;
import dev.switchboard.carrier.sms.DataCoding0;
import dev.switchboard.carrier.sms.DataCodingReader;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.inbox.messages.DeliveryTracker;
import dev.switchboard.inbox.messages.InboundService;
import dev.switchboard.inbox.messages.OutboxStore;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Transactor;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** The SMPP side of the graph: the server carriers bind to, the carriers we bind to, and the outbox worker. */
final class SmppWiring implements AutoCloseable {
    private final SmppServer server;
    private final List<SmppCarrier> carriers;
    private final SmppOutboxWorker worker;

    private SmppWiring(SmppServer server, List<SmppCarrier> carriers, SmppOutboxWorker worker) {
        this.server = server;
        this.carriers = carriers;
        this.worker = worker;
    }

    static SmppWiring start(GatewayConfig config, Vertx vertx, Transactor db, Ids ids, Clock clock) throws Exception {
        InboundService inbound = new InboundService(db, ids);
        DeliveryTracker tracker = new DeliveryTracker(db);
        SmppServer server = null;
        if (config.smppServer().enabled()) {
            server = new SmppServer(config.smppServer(), inbound, new DataCodingReader(DataCoding0.GSM7));
            server.start();
        }
        List<SmppCarrier> carriers = config.smppCarriers().stream().map(c -> new SmppCarrier(vertx, c, tracker, inbound)).toList();
        carriers.forEach(SmppCarrier::start);
        SmppOutboxWorker worker = null;
        if (!carriers.isEmpty()) {
            worker = new SmppOutboxWorker(vertx, new OutboxStore(db, clock), tracker, carriers);
            worker.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        return new SmppWiring(server, carriers, worker);
    }

    /** System SMS (enrollment codes) through the same carrier routes as conversation messages. */
    DirectSms directSms() {
        return new DirectSms(carriers);
    }

    OptionalInt serverPort() {
        return server == null ? OptionalInt.empty() : OptionalInt.of(server.port());
    }

    /** Stops taking new work: the outbox worker first, then the binds and the server. */
    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
        carriers.forEach(SmppCarrier::close);
        if (server != null) {
            server.close();
        }
    }
}
