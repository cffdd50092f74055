package dev.switchboard.carrier.smpp.server;

import dev.switchboard.carrier.smpp.SmppAddresses;
import dev.switchboard.carrier.smpp.SmppInbound;
import dev.switchboard.carrier.sms.DataCodingReader;
import dev.switchboard.inbox.messages.AccountReceiptStore;
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

/**
 * Handles what bound accounts send. Runs on jsmpp's PDU threads, so it may block on the inbox's
 * future: the submit_sm_resp goes out when this method returns, which is after the commit. Long
 * messages arrive segment by segment ({@link SmppInbound} reassembles them); each segment gets a
 * message id of its own, and a repeated segment gets the id of its first copy. What
 * registered_delivery asks for is committed before the response too ({@link AccountReceiptStore}).
 */
final class SubmitSmReceiver implements ServerMessageReceiverListener {
    private static final long COMMIT_TIMEOUT_SECONDS = 10;

    private final SmppInbound inbound;
    private final DataCodingReader decoder;
    private final AccountReceiptStore receipts;
    private final Map<Session, SmppAccount> accounts = new ConcurrentHashMap<>();
    private final Map<String, Throughput> throughput = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    SubmitSmReceiver(SmppInbound inbound, DataCodingReader decoder, AccountReceiptStore receipts) {
        this.inbound = inbound;
        this.decoder = decoder;
        this.receipts = receipts;
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
        if (from.isEmpty() || !account.allowsSource(from)) {
            throw new ProcessRequestException("source address not allowed for this account", SMPPConstant.STAT_ESME_RINVSRCADR);
        }
        String source = "smpp:" + account.systemId();
        String prefix = source + ":";
        // A repeated segment is answered with the message id its first copy got.
        SmppInbound.Received received = inbound.accept(submit, source, to, from, decoder, prefix + newMessageId());
        String answered = received.carrierRef();
        String messageId = answered.startsWith(prefix) ? answered.substring(prefix.length()) : newMessageId();
        recordReceiptRequest(account, messageId, submit.getRegisteredDelivery(), received);
        try {
            return new SubmitSmResult(new MessageId(messageId), new OptionalParameter[0]);
        } catch (PDUStringException e) {
            throw new IllegalStateException("generated message id is not a valid C-octet string", e);
        }
    }

    /**
     * Commits what registered_delivery asked for before submit_sm_resp goes out, so a receipt owed
     * is never lost: bits 0-1 = 01 (SMSC delivery receipt on success or failure) asks for the
     * delivered receipt; 10 asks for one on failure only, and a message committed here does not fail
     * afterwards, so it gets none. Bits 2-3 = 10 or 11 ask for an SME manual/user acknowledgement,
     * sent as the read notification ({@link ReceiptPdus}). The last segment of a set also resolves
     * the requests its earlier segments left.
     */
    private void recordReceiptRequest(SmppAccount account, String smppId, byte registeredDelivery, SmppInbound.Received received)
            throws ProcessRequestException {
        boolean delivered = (registeredDelivery & 0x03) == 0x01;
        boolean read = (registeredDelivery & 0x0C) == 0x08 || (registeredDelivery & 0x0C) == 0x0C;
        if (!delivered && !read && !(received.segment() && received.messageId() != null)) {
            return;
        }
        try {
            receipts.request(account.systemId(), smppId, delivered, read, received.messageId())
                    .toCompletionStage().toCompletableFuture().get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessRequestException("shutting down, retry", SMPPConstant.STAT_ESME_RX_T_APPN);
        } catch (ExecutionException | TimeoutException e) {
            throw new ProcessRequestException("temporary failure, retry", SMPPConstant.STAT_ESME_RX_T_APPN);
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
