package dev.switchboard.carrier.smpp.server;

import dev.switchboard.carrier.smpp.SmsRoute;
import dev.switchboard.carrier.smpp.client.SubmitRequest;
import dev.switchboard.carrier.sms.Segmenter;
import dev.switchboard.carrier.sms.SmsSegment;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jsmpp.bean.OptionalParameter;

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
        SmsSegment segment = request.segment();
        byte[] udh = segment.udh();
        byte[] payload = segment.payload();
        byte[] shortMessage = new byte[udh.length + payload.length];
        System.arraycopy(udh, 0, shortMessage, 0, udh.length);
        System.arraycopy(payload, 0, shortMessage, udh.length, payload.length);
        List<OptionalParameter> tlvs = new ArrayList<>();
        segment.sar().ifPresent(sar -> {
            tlvs.add(new OptionalParameter.Sar_msg_ref_num((short) sar.msgRefNum()));
            tlvs.add(new OptionalParameter.Sar_total_segments((byte) sar.totalSegments()));
            tlvs.add(new OptionalParameter.Sar_segment_seqnum((byte) sar.segmentSeqnum()));
        });
        String id = newId();
        return sessions.deliver(account.systemId(), new AccountSessions.Deliver(request.from(), request.to(),
                segment.udhi() ? 0x40 : 0, request.dataCoding(), shortMessage, tlvs)).map(id);
    }

    @Override
    public String normalise(String id) { return id; }

    private String newId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
