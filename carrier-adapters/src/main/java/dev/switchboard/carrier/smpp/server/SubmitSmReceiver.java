package dev.switchboard.carrier.smpp.server;

import dev.switchboard.carrier.smpp.SmppAddresses;
import dev.switchboard.carrier.smpp.SmppInbound;
import dev.switchboard.carrier.sms.DataCodingReader;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;

/**
 * Handles what bound accounts send. Runs on jsmpp's PDU threads, so it may block on the inbox's
 * future: the submit_sm_resp goes out when this method returns, which is after the commit. Long
 * messages arrive segment by segment ({@link SmppInbound} reassembles them); each segment gets a
 * message id of its own, and a repeated segment gets the id of its first copy.
 */
final class SubmitSmReceiver implements ServerMessageReceiverListener {
    private final SmppInbound inbound;
    private final DataCodingReader decoder;
    private final Map<Session, SmppAccount> accounts = new ConcurrentHashMap<>();
    private final Map<String, Throughput> throughput = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    SubmitSmReceiver(SmppInbound inbound, DataCodingReader decoder) {
        this.inbound = inbound;
        this.decoder = decoder;
    }

    void bound(Session session, SmppAccount account) {
        accounts.put(session, account);
        throughput.computeIfAbsent(account.systemId(), id -> new Throughput(account.throughput(), System.nanoTime()));
    }

    void unbound(Session session) {
        accounts.remove(session);
    }

    @Override
    public SubmitSmResult onAcceptSubmitSm(SubmitSm submit, SMPPServerSession session) throws ProcessRequestException {
        SmppAccount account = accounts.get(session);
        if (account == null) {
            throw new ProcessRequestException("not bound", SMPPConstant.STAT_ESME_RINVBNDSTS);
        }
        if (!throughput.get(account.systemId()).tryAcquire(System.nanoTime())) {
            throw new ProcessRequestException("throughput exceeded", SMPPConstant.STAT_ESME_RTHROTTLED);
        }
        String to = SmppAddresses.normalise(submit.getDestAddrTon(), submit.getDestAddress());
        if (!account.numbers().contains(to)) {
            throw new ProcessRequestException("destination not served for this account", SMPPConstant.STAT_ESME_RINVDSTADR);
        }
        String from = SmppAddresses.normalise(submit.getSourceAddrTon(), submit.getSourceAddr());
        if (from.isEmpty()) {
            throw new ProcessRequestException("source address required", SMPPConstant.STAT_ESME_RINVSRCADR);
        }
        String source = "smpp:" + account.systemId();
        String prefix = source + ":";
        // A repeated segment is answered with the message id its first copy got.
        String answered = inbound.receive(submit, source, to, from, decoder, prefix + newMessageId());
        String messageId = answered.startsWith(prefix) ? answered.substring(prefix.length()) : newMessageId();
        try {
            return new SubmitSmResult(new MessageId(messageId), new OptionalParameter[0]);
        } catch (PDUStringException e) {
            throw new IllegalStateException("generated message id is not a valid C-octet string", e);
        }
    }

    private String newMessageId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
        throw unsupported("data_sm");
    }

    @Override
    public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source) throws ProcessRequestException {
        throw unsupported("submit_multi");
    }

    @Override
    public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source) throws ProcessRequestException {
        throw new ProcessRequestException("query_sm is not supported", SMPPConstant.STAT_ESME_RQUERYFAIL);
    }

    @Override
    public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
        throw new ProcessRequestException("replace_sm is not supported", SMPPConstant.STAT_ESME_RREPLACEFAIL);
    }

    @Override
    public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
        throw new ProcessRequestException("cancel_sm is not supported", SMPPConstant.STAT_ESME_RCANCELFAIL);
    }

    @Override
    public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source) throws ProcessRequestException {
        throw unsupported("broadcast_sm");
    }

    @Override
    public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source) throws ProcessRequestException {
        throw unsupported("cancel_broadcast_sm");
    }

    @Override
    public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm, SMPPServerSession source)
            throws ProcessRequestException {
        throw unsupported("query_broadcast_sm");
    }

    private static ProcessRequestException unsupported(String operation) {
        return new ProcessRequestException(operation + " is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }
}
