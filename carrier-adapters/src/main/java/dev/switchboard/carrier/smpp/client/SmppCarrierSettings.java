package dev.switchboard.carrier.smpp.client;

import dev.switchboard.carrier.receipt.IdBase;
import dev.switchboard.carrier.sms.ConcatMode;
import dev.switchboard.carrier.sms.DataCoding0;
import dev.switchboard.carrier.sms.DataCoding1;
import java.util.List;

/** One carrier's SMSC and how to talk to it. */
public record SmppCarrierSettings(
        String id,
        String host,
        int port,
        String systemId,
        String password,
        String systemType,
        BindMode bindMode,
        int binds,
        int window,
        int throughput,
        DataCoding0 dataCoding0,
        DataCoding1 dataCoding1,
        IdBase receiptIdBase,
        ConcatMode concatMode,
        int enquireLinkSeconds,
        AddressFormat addressFormat,
        List<String> prefixes) {

    public enum BindMode { TRANSCEIVER, TRANSMITTER_RECEIVER }

    public SmppCarrierSettings {
        prefixes = List.copyOf(prefixes);
    }

    @Override
    public String toString() {
        return "SmppCarrierSettings[id=" + id + ", host=" + host + ", port=" + port + ", systemId=" + systemId
                + ", password=[REDACTED], binds=" + binds + ", window=" + window + ", throughput=" + throughput
                + ", prefixes=" + prefixes + "]";
    }
}
