#!/usr/bin/env node
// An ESME written with the npm `smpp` package, for Switchboard's interop tests: it binds to
// Switchboard's SMPP server (an account in `smpp.server.accounts`) as a carrier or upstream system.
//
//   node esme.js <host> <port> <system_id> <password> [transceiver|transmitter|receiver]
//
// Every line on stdout is one JSON object with an "event" field:
//   bind_resp       {command, status, statusHex}                  the answer to the bind
//   submit_sm_resp  {status, statusHex, messageId, from, to, dataCoding, text}
//                   dataCoding is what the npm package sent (it picks 1, 3 or 8 when not told)
//   deliver_sm      {from, fromTon, to, toTon, esmClass, dataCoding, receipt, text, hex,
//                    receiptedMessageId, messageState}            answered ESME_ROK
//   close {bound}, error {message}
//
// Commands, one per line on stdin (the text is the rest of the line):
//   SUBMIT <from> <to> <text>            submit_sm with the npm package's own choice of encoding
//   SUBMIT_DC <dc> <from> <to> <text>    the same with data_coding <dc> and the npm encoder for it
//                                        (0 and 1: unpacked GSM 03.38, 3: Latin-1, 8: UCS-2)
//   UNBIND                               unbind and exit
// Commands read before the bind succeeds wait for it. Addresses go out with TON 1 / NPI 1, no plus,
// and registered_delivery 1. The ESME unbinds and exits when stdin closes.
'use strict';

const readline = require('readline');
const smpp = require('smpp');

const args = process.argv.slice(2);
if (args.length < 4 || args.length > 5) {
	process.stderr.write('usage: node esme.js <host> <port> <system_id> <password> [transceiver|transmitter|receiver]\n');
	process.exit(64);
}
const [host, port, systemId, password] = args;
const bindCommand = 'bind_' + (args[4] || 'transceiver');

const out = (event, fields) => process.stdout.write(JSON.stringify(Object.assign({ event }, fields)) + '\n');
const hex = (status) => '0x' + status.toString(16).padStart(8, '0');

// Keeps the raw short_message next to the decoded text, so events can show both.
const decodeMessage = smpp.filters.message.decode;
smpp.filters.message.decode = function (value, skipUdh) {
	const result = decodeMessage.call(this, value, skipUdh);
	if (Buffer.isBuffer(value) && result && typeof result === 'object') {
		Object.defineProperty(result, 'raw', { value, enumerable: false });
	}
	return result;
};

let bound = false;
let closing = false;
const pending = [];

const session = smpp.connect({ host, port: Number(port) });

session.on('connect', () => {
	session[bindCommand]({ system_id: systemId, password }, (resp) => {
		out('bind_resp', { command: bindCommand, status: resp.command_status, statusHex: hex(resp.command_status) });
		if (resp.command_status !== smpp.ESME_ROK) {
			session.close();
			return;
		}
		bound = true;
		pending.splice(0).forEach(command);
	});
});

session.on('deliver_sm', (pdu) => {
	const sm = pdu.short_message;
	const text = sm && typeof sm === 'object' && typeof sm.message === 'string' ? sm.message : null;
	out('deliver_sm', {
		from: pdu.source_addr, fromTon: pdu.source_addr_ton,
		to: pdu.destination_addr, toTon: pdu.dest_addr_ton,
		esmClass: pdu.esm_class, dataCoding: pdu.data_coding,
		receipt: (pdu.esm_class & 0x3C) === 0x04,
		text,
		hex: sm && sm.raw ? sm.raw.toString('hex') : '',
		receiptedMessageId: pdu.receipted_message_id === undefined ? null : String(pdu.receipted_message_id),
		messageState: pdu.message_state === undefined ? null : pdu.message_state
	});
	session.send(pdu.response());
});

session.on('enquire_link', (pdu) => session.send(pdu.response()));
session.on('unbind', (pdu) => session.send(pdu.response(), () => session.close()));
session.on('unknown', (pdu) => session.send(pdu.response()));
session.on('error', (e) => out('error', { message: String(e && e.message || e) }));
session.on('close', () => {
	out('close', { bound });
	process.exit(0);
});

function submit(dataCoding, from, to, text) {
	const pdu = new smpp.PDU('submit_sm', {
		source_addr_ton: 1, source_addr_npi: 1, source_addr: from,
		dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: to,
		registered_delivery: 1,
		data_coding: dataCoding,
		short_message: text
	});
	session.send(pdu, (resp) => out('submit_sm_resp', {
		status: resp.command_status, statusHex: hex(resp.command_status),
		messageId: resp.message_id === undefined ? null : resp.message_id,
		from, to, dataCoding: pdu.data_coding, text
	}));
}

function unbind() {
	if (closing) {
		return;
	}
	closing = true;
	if (!bound || !session.unbind((resp) => session.close())) {
		session.destroy();
	}
	setTimeout(() => session.destroy(), 1000).unref();
}

function command(line) {
	if (!bound && !closing && line.trim() !== 'UNBIND') {
		pending.push(line);
		return;
	}
	const m = /^(\S+)\s*(.*)$/.exec(line);
	if (!m) {
		return;
	}
	const [, verb, rest] = m;
	let p;
	if (verb === 'SUBMIT' && (p = /^(\S+) (\S+) (.*)$/.exec(rest))) {
		submit(null, p[1], p[2], p[3]);
	} else if (verb === 'SUBMIT_DC' && (p = /^(\d+) (\S+) (\S+) (.*)$/.exec(rest))) {
		submit(Number(p[1]), p[2], p[3], p[4]);
	} else if (verb === 'UNBIND') {
		unbind();
	} else {
		out('error', { message: 'unknown command: ' + line });
	}
}

const input = readline.createInterface({ input: process.stdin });
input.on('line', command);
input.on('close', unbind);
