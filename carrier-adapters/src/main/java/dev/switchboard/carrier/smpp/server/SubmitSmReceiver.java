package dev.switchboard.carrier.smpp.server;

import dev.switchboard.carrier.smpp.SmppAddresses;
import dev.switchboard.carrier.sms.DataCodingReader;
import dev.switchboard.carrier.sms.UnsupportedDataCodingException;
import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.messages.InboundMessage;
import dev.switchboard.inbox.messages.InboundService;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.MessageContent;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles what bound accounts send. Runs on jsmpp's PDU threads, so it may block on the inbox's
 * future: the submit_sm_resp goes out when this method returns, which is after the commit.
 */
final class SubmitSmReceiver implements ServerMessageReceiverListener {
    private static final Logger LOG = LoggerFactory.getLogger(SubmitSmReceiver.class);
    private static final long COMMIT_TIMEOUT_SECONDS = 10;
    private static final byte UDHI = 0x40;

    private final InboundService inbound;
    private final DataCodingReader decoder;
    private final Map<Session, SmppAccount> accounts = new ConcurrentHashMap<>();
    private final Map<String, Throughput> throughput = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    SubmitSmReceiver(InboundService inbound, DataCodingReader decoder) {
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
        if ((submit.getEsmClass() & UDHI) != 0) {
            // Concatenated sets need durable reassembly, which is not built yet: refuse rather than store a fragment.
            throw new ProcessRequestException("concatenated messages are not supported yet", SMPPConstant.STAT_ESME_RINVESMCLASS);
        }
        String text;
        try {
            text = decoder.decode(submit.getDataCoding() & 0xFF, payload(submit));
        } catch (UnsupportedDataCodingException e) {
            throw new ProcessRequestException(e.getMessage(), SMPPConstant.STAT_ESME_RINVDCS);
        }
        String messageId = newMessageId();
        InboundMessage message = new InboundMessage(to, from, Channel.SMS, MessageContent.text(text),
                "smpp:" + account.systemId() + ":" + messageId);
        commit(message);
        try {
            return new SubmitSmResult(new MessageId(messageId), new OptionalParameter[0]);
        } catch (PDUStringException e) {
            throw new IllegalStateException("generated message id is not a valid C-octet string", e);
        }
    }

    private static byte[] payload(SubmitSm submit) {
        byte[] shortMessage = submit.getShortMessage();
        if (shortMessage != null && shortMessage.length > 0) {
            return shortMessage;
        }
        OptionalParameter p = submit.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD);
        return p instanceof OptionalParameter.OctetString os ? os.getValue() : new byte[0];
    }

    /** Blocks this jsmpp thread until the commit; any database trouble asks the peer to retry later. */
    private void commit(InboundMessage message) throws ProcessRequestException {
        try {
            inbound.receive(message).toCompletionStage().toCompletableFuture().get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InboxException ie && ie.kind() == InboxException.Kind.NOT_FOUND) {
                throw new ProcessRequestException("destination not served", SMPPConstant.STAT_ESME_RINVDSTADR);
            }
            LOG.warn("could not commit an inbound SMS; asking the peer to retry: {}", e.getCause().toString());
            throw new ProcessRequestException("temporary failure, retry", SMPPConstant.STAT_ESME_RX_T_APPN);
        } catch (TimeoutException e) {
            throw new ProcessRequestException("temporary failure, retry", SMPPConstant.STAT_ESME_RX_T_APPN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessRequestException("shutting down, retry", SMPPConstant.STAT_ESME_RX_T_APPN);
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
