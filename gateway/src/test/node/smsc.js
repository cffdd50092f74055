#!/usr/bin/env node
// An SMSC written with the npm `smpp` package, for Switchboard's interop tests: Switchboard binds
// to it as an ESME (a carrier in `smpp.carriers`).
//
//   node smsc.js <port|0> <system_id> <password> [--no-receipts]
//
// Port 0 lets the OS choose; the port in use is printed first as `PORT <n>`. Every other line on
// stdout is one JSON object with an "event" field:
//   bind          {command, systemId, status}                      a bind was answered
//   submit_sm     {messageId, from, fromTon, fromNpi, to, toTon, toNpi, esmClass, dataCoding,
//                  registeredDelivery, text, hex}                   answered ESME_ROK with messageId
//   receipt       {messageId, stat, err, text, status}             a receipt was sent; status is the
//                                                                  peer's deliver_sm_resp status
//   mo            {from, to, dataCoding, text, status}             an MO was sent; status as above
//   auto_receipts {on}                                             AUTO_RECEIPTS was obeyed
//   unbind, close, error {message}
// `text` is what the npm package decodes from short_message for that data_coding; `hex` is the raw
// short_message.
//
// Commands, one per line on stdin (the text is the rest of the line):
//   MO <from> <to> <text>             a mobile-originated SMS in UCS-2 (data_coding 8)
//   MO_DC <dc> <from> <to> <text>     the same with the npm package's encoder for data_coding <dc>
//                                     (0 and 1: unpacked GSM 03.38, 3: Latin-1, 8: UCS-2)
//   RECEIPT <messageId> <stat> <err>  a delivery receipt in the common text form
//   AUTO_RECEIPTS on|off              whether submit_sm get their DELIVRD receipt by themselves
// Each submit_sm asking for a receipt (registered_delivery bits 0-1) gets a DELIVRD receipt right
// after its submit_sm_resp, unless --no-receipts or AUTO_RECEIPTS off. Addresses go out with
// TON 1 / NPI 1, no plus.
// The SMSC stops when stdin closes, so it never outlives the test that started it.
'use strict';

const readline = require('readline');
const smpp = require('smpp');

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
if (args.length !== 3) {
	process.stderr.write('usage: node smsc.js <port|0> <system_id> <password> [--no-receipts]\n');
	process.exit(64);
}
const [portArg, systemId, password] = args;
let autoReceipts = !flags.has('--no-receipts');

const out = (event, fields) => process.stdout.write(JSON.stringify(Object.assign({ event }, fields)) + '\n');

// Message ids in hex, as most SMSCs write them; a random start so two runs never share ids.
let nextId = 0x100000 + Math.floor(Math.random() * 0xE00000);
const bound = new Set();
const submitted = new Map();

function textOf(pdu) {
	const sm = pdu.short_message;
	if (sm && typeof sm === 'object' && !Buffer.isBuffer(sm)) {
		return typeof sm.message === 'string' ? sm.message : Buffer.from(sm.message || []).toString('hex');
	}
	return Buffer.isBuffer(sm) ? sm.toString('hex') : String(sm || '');
}

// Keeps the raw short_message next to the decoded text, so events can show both.
const decodeMessage = smpp.filters.message.decode;
smpp.filters.message.decode = function (value, skipUdh) {
	const result = decodeMessage.call(this, value, skipUdh);
	if (Buffer.isBuffer(value) && result && typeof result === 'object') {
		Object.defineProperty(result, 'raw', { value, enumerable: false });
	}
	return result;
};

function rawHex(pdu) {
	const sm = pdu.short_message;
	return sm && sm.raw ? sm.raw.toString('hex') : '';
}

// YYMMDDhhmm, the 10-digit form most SMSCs use in receipts.
function receiptDate(d) {
	const p = (n) => String(n).padStart(2, '0');
	return p(d.getUTCFullYear() % 100) + p(d.getUTCMonth() + 1) + p(d.getUTCDate()) + p(d.getUTCHours()) + p(d.getUTCMinutes());
}

function receiver() {
	for (const s of bound) {
		if (s.bindCommand !== 'bind_transmitter') {
			return s;
		}
	}
	return null;
}

function sendReceipt(messageId, stat, err) {
	const session = receiver();
	const original = submitted.get(messageId) || { from: '', to: '', text: '', submitDate: new Date() };
	// The receipt's text field is the start of the message; kept to plain ASCII as SMSCs do.
	const excerpt = original.text.slice(0, 20).replace(/[^A-Za-z0-9 ,.!?]/g, '.');
	const text = 'id:' + messageId + ' sub:001 dlvrd:' + (stat === 'DELIVRD' ? '001' : '000') + ' submit date:'
		+ receiptDate(original.submitDate) + ' done date:' + receiptDate(new Date()) + ' stat:' + stat + ' err:' + err
		+ ' text:' + excerpt;
	if (!session) {
		out('error', { message: 'no receiver bind for the receipt of ' + messageId });
		return;
	}
	session.deliver_sm({
		source_addr_ton: 1, source_addr_npi: 1, source_addr: original.to,
		dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: original.from,
		esm_class: 0x04,
		short_message: text
	}, (resp) => out('receipt', { messageId, stat, err, text, status: resp.command_status }));
}

function sendMo(dataCoding, from, to, text) {
	const session = receiver();
	if (!session) {
		out('error', { message: 'no receiver bind for an MO to ' + to });
		return;
	}
	session.deliver_sm({
		source_addr_ton: 1, source_addr_npi: 1, source_addr: from,
		dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: to,
		esm_class: 0,
		data_coding: dataCoding,
		short_message: text
	}, (resp) => out('mo', { from, to, dataCoding, text, status: resp.command_status }));
}

function onBind(session, pdu) {
	let status = smpp.ESME_ROK;
	if (pdu.system_id !== systemId) {
		status = smpp.ESME_RINVSYSID;
	} else if (pdu.password !== password) {
		status = smpp.ESME_RINVPASWD;
	}
	out('bind', { command: pdu.command, systemId: pdu.system_id, status });
	if (status !== smpp.ESME_ROK) {
		session.send(pdu.response({ command_status: status }), () => session.close());
		return;
	}
	session.bindCommand = pdu.command;
	bound.add(session);
	session.send(pdu.response({ system_id: 'npm-smsc' }));
}

function onSubmit(session, pdu) {
	if (!bound.has(session) || session.bindCommand === 'bind_receiver') {
		session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }));
		return;
	}
	const messageId = (nextId++).toString(16);
	const text = textOf(pdu);
	submitted.set(messageId, { from: pdu.source_addr, to: pdu.destination_addr, text, submitDate: new Date() });
	out('submit_sm', {
		messageId,
		from: pdu.source_addr, fromTon: pdu.source_addr_ton, fromNpi: pdu.source_addr_npi,
		to: pdu.destination_addr, toTon: pdu.dest_addr_ton, toNpi: pdu.dest_addr_npi,
		esmClass: pdu.esm_class, dataCoding: pdu.data_coding, registeredDelivery: pdu.registered_delivery,
		text, hex: rawHex(pdu)
	});
	const wantsReceipt = (pdu.registered_delivery & 0x03) !== 0;
	// The receipt follows once the response is on the wire, as a fast SMSC's would.
	session.send(pdu.response({ message_id: messageId }), () => {
		if (autoReceipts && wantsReceipt) {
			sendReceipt(messageId, 'DELIVRD', '000');
		}
	});
}

const server = smpp.createServer((session) => {
	for (const command of ['bind_transceiver', 'bind_transmitter', 'bind_receiver']) {
		session.on(command, (pdu) => onBind(session, pdu));
	}
	session.on('submit_sm', (pdu) => onSubmit(session, pdu));
	session.on('enquire_link', (pdu) => session.send(pdu.response()));
	session.on('unbind', (pdu) => {
		out('unbind', {});
		bound.delete(session);
		session.send(pdu.response(), () => session.close());
	});
	session.on('unknown', (pdu) => session.send(pdu.response()));
	session.on('error', (e) => out('error', { message: String(e && e.message || e) }));
	session.on('close', () => {
		bound.delete(session);
		out('close', {});
	});
});

server.on('error', (e) => {
	out('error', { message: String(e && e.message || e) });
	process.exit(1);
});

server.listen(Number(portArg), '127.0.0.1', () => {
	process.stdout.write('PORT ' + server.address().port + '\n');
});

function command(line) {
	const m = /^(\S+)\s*(.*)$/.exec(line);
	if (!m) {
		return;
	}
	const [, verb, rest] = m;
	let p;
	if (verb === 'MO' && (p = /^(\S+) (\S+) (.*)$/.exec(rest))) {
		sendMo(smpp.ENCODING.UCS2, p[1], p[2], p[3]);
	} else if (verb === 'MO_DC' && (p = /^(\d+) (\S+) (\S+) (.*)$/.exec(rest))) {
		sendMo(Number(p[1]), p[2], p[3], p[4]);
	} else if (verb === 'RECEIPT' && (p = /^(\S+) (\S+) (\S+)$/.exec(rest))) {
		sendReceipt(p[1], p[2], p[3]);
	} else if (verb === 'AUTO_RECEIPTS' && (rest === 'on' || rest === 'off')) {
		autoReceipts = rest === 'on';
		out('auto_receipts', { on: autoReceipts });
	} else {
		out('error', { message: 'unknown command: ' + line });
	}
}

const input = readline.createInterface({ input: process.stdin });
input.on('line', command);
input.on('close', () => {
	for (const s of server.sessions.slice()) {
		s.destroy();
	}
	server.close(() => process.exit(0));
	setTimeout(() => process.exit(0), 1000).unref();
});
