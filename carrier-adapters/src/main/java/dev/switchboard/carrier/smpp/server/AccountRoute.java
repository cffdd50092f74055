package dev.switchboard.carrier.smpp.server;

import dev.switchboard.carrier.smpp.SegmentPdu;
import dev.switchboard.carrier.smpp.SmsRoute;
import dev.switchboard.carrier.smpp.client.SubmitRequest;
import dev.switchboard.carrier.sms.Segmenter;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Messages to peers reached back through an account bound to our server: each segment goes as a
 * deliver_sm on one of its receiver or transceiver binds. deliver_sm_resp carries no message id, so
 * each accepted segment is recorded under an id of our own.
 */
public final class AccountRoute implements SmsRoute {
    private final SmppAccount account;
    private final AccountSessions sessions;
    private final Segmenter segmenter = new Segmenter();
    private final SecureRandom random = new SecureRandom();

    public AccountRoute(SmppAccount account, AccountSessions sessions) {
        this.account = account;
        this.sessions = sessions;
    }

    @Override
    public String id() { return account.systemId(); }

    @Override
    public List<String> prefixes() { return account.prefixes(); }

    @Override
    public boolean ready() { return sessions.ready(account.systemId()); }

    @Override
    public Segmenter segmenter() { return segmenter; }

    @Override
    public Future<String> send(SubmitRequest request) {
        SegmentPdu pdu = SegmentPdu.of(request.segment());
        String id = newId();
        return sessions.deliver(account.systemId(), new AccountSessions.Deliver(request.from(), request.to(),
                pdu.esmClass(), request.dataCoding(), pdu.shortMessage(), pdu.tlvs())).map(id);
    }

    @Override
    public String normalise(String id) { return id; }

    private String newId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
