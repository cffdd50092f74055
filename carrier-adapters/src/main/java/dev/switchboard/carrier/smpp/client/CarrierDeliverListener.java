package dev.switchboard.carrier.smpp.client;

import dev.switchboard.carrier.receipt.DeliveryReceipt;
import dev.switchboard.carrier.receipt.DeliveryReceiptParser;
import dev.switchboard.carrier.receipt.ReceiptFields;
import dev.switchboard.carrier.receipt.ReceiptIds;
import dev.switchboard.carrier.smpp.SmppAddresses;
import dev.switchboard.carrier.smpp.SmppCommits;
import dev.switchboard.carrier.smpp.SmppInbound;
import dev.switchboard.carrier.sms.DataCodingReader;
import dev.switchboard.inbox.messages.DeliveryTracker;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a carrier's SMSC delivers on our binds: delivery receipts and mobile-originated SMS (whole,
 * in message_payload, or segment by segment, which {@link SmppInbound} reassembles). Runs on
 * jsmpp's threads and blocks until the commit, so deliver_sm_resp means "stored".
 */
final class CarrierDeliverListener implements MessageReceiverListener {
    private static final Logger LOG = LoggerFactory.getLogger(CarrierDeliverListener.class);

    private final SmppCarrierSettings carrier;
    private final DeliveryTracker tracker;
    private final SmppInbound inbound;
    private final DataCodingReader coding;
    private final DeliveryReceiptParser receipts = new DeliveryReceiptParser();

    CarrierDeliverListener(SmppCarrierSettings carrier, DeliveryTracker tracker, SmppInbound inbound) {
        this.carrier = carrier;
        this.tracker = tracker;
        this.inbound = inbound;
        this.coding = new DataCodingReader(carrier.dataCoding0(), carrier.dataCoding1());
    }

    @Override
    public void onAcceptDeliverSm(DeliverSm deliver) throws ProcessRequestException {
        if (receipts.isReceipt(deliver.getEsmClass() & 0xFF)) {
            receipt(deliver);
        } else {
            mobileOriginated(deliver);
        }
    }

    private void receipt(DeliverSm deliver) throws ProcessRequestException {
        String text = new String(deliver.getShortMessage() == null ? new byte[0] : deliver.getShortMessage(), StandardCharsets.ISO_8859_1);
        OptionalParameter id = deliver.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
        OptionalParameter state = deliver.getOptionalParameter(OptionalParameter.Tag.MESSAGE_STATE);
        OptionalParameter payload = deliver.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD);
        ReceiptFields fields = ReceiptFields.of(deliver.getEsmClass() & 0xFF,
                id instanceof OptionalParameter.COctetString c ? c.getValueAsString() : null,
                state instanceof OptionalParameter.Byte b ? (int) b.getValue() & 0xFF : null,
                null, text,
                payload instanceof OptionalParameter.OctetString o ? new String(o.getValue(), StandardCharsets.ISO_8859_1) : null);
        Optional<DeliveryReceipt> parsed = receipts.parse(fields);
        if (parsed.isEmpty()) {
            // Answer ROK anyway: refusing an unreadable receipt only makes the SMSC send it again forever.
            LOG.warn("carrier {} sent a receipt that could not be read; acknowledged and dropped", carrier.id());
            return;
        }
        DeliveryReceipt r = parsed.get();
        DeliveryTracker.Outcome outcome = !r.isFinal() ? DeliveryTracker.Outcome.PENDING
                : r.isSuccess() ? DeliveryTracker.Outcome.DELIVERED : DeliveryTracker.Outcome.FAILED;
        String error = outcome == DeliveryTracker.Outcome.FAILED
                ? r.stat().orElse(r.state().name()) + r.errorCode().map(e -> " err:" + e).orElse("") : null;
        await(tracker.receipt(carrier.id(), ReceiptIds.candidates(r.submissionId(), carrier.receiptIdBase()), outcome, error));
    }

    private void mobileOriginated(DeliverSm deliver) throws ProcessRequestException {
        String to = SmppAddresses.normalise(deliver.getDestAddrTon(), deliver.getDestAddress());
        String from = SmppAddresses.normalise(deliver.getSourceAddrTon(), deliver.getSourceAddr());
        String source = "smpp-carrier:" + carrier.id();
        inbound.receive(deliver, source, to, from, coding, source);
    }

    private static <T> T await(Future<T> future) throws ProcessRequestException {
        return SmppCommits.await(future);
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alertNotification) {
        LOG.debug("alert_notification from carrier {} ignored", carrier.id());
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
        throw new ProcessRequestException("data_sm is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }
}
