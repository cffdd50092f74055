package dev.switchboard.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** {@code devices}: the number's primary and companions, with how far each has synced. */
final class DevicesCommand implements Command {

    @Override
    public int run(CliContext context) {
        List<JsonNode> devices = context.deviceClient().devices();
        if (context.json()) {
            context.printJson(context.object().set("devices", context.object().arrayNode().addAll(devices)));
        } else {
            devices.forEach(device -> context.println(HumanFormat.device(device)));
        }
        return 0;
    }
}
