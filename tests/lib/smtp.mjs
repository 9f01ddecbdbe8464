/*
 * smtp.mjs — a small SMTP receiver for the tests (RFC 5321, as much as
 * libcurl speaks): EHLO/HELO, AUTH PLAIN and LOGIN (when a user is set),
 * MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT.  It keeps
 * every mail it accepts; it can refuse the next transactions (a 4xx or 5xx
 * answer to MAIL FROM) and go down and come back up on the same port.
 * SMTP_DEBUG=1 prints the conversation to stderr.
 */
import net from 'node:net';

/* An encoded-word subject (=?UTF-8?B?...?=, folded) as text. */
function decodeHeader(v) {
	return v.replace(/\r?\n[ \t]/g, ' ').replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/gi,
		(_, b) => Buffer.from(b, 'base64').toString('utf8')).trim();
}

function parseMail(raw) {
	const text = raw.replace(/\r\n/g, '\n');
	const cut = text.indexOf('\n\n');
	const head = cut < 0 ? text : text.slice(0, cut);
	const headers = {};
	for (const line of head.split(/\n(?![ \t])/)) {
		const m = /^([^:]+):\s?([\s\S]*)$/.exec(line);
		if (m) headers[m[1].toLowerCase()] = m[2];
	}
	return { headers, head, subject: decodeHeader(headers.subject || ''), body: cut < 0 ? '' : text.slice(cut + 2) };
}

export async function startSmtp({ user, password } = {}) {
	const state = { mails: [], refusals: [], sockets: new Set(), server: null, port: 0, connections: 0 };

	function session(sock) {
		state.connections++;
		state.sockets.add(sock);
		sock.on('close', () => state.sockets.delete(sock));
		sock.on('error', () => {});
		sock.setEncoding('utf8');
		let buf = '';
		let mail = null;
		let inData = false;
		let authed = !user;
		let authStep = null;
		let login = null;
		const debug = process.env.SMTP_DEBUG ? (d, t) => process.stderr.write(`smtp ${d} ${t}\n`) : () => {};
		const plain = (b64) => {
			const parts = Buffer.from(b64, 'base64').toString('utf8').split('\u0000');
			if (parts[1] === user && parts[2] === password) { authed = true; login = user; say('235 2.7.0 accepted'); }
			else say('535 5.7.8 bad credentials');
		};
		const say = (s) => { debug('<', s); sock.write(`${s}\r\n`); };
		say('220 cairn-tests ESMTP ready');
		sock.on('data', (chunk) => {
			buf += chunk;
			for (;;) {
				if (inData) {
					const end = buf.indexOf('\r\n.\r\n');
					if (end < 0) break;
					const part = buf.slice(0, end);
					buf = buf.slice(end + 5);
					const raw = part.split('\r\n').map((l) => (l.startsWith('..') ? l.slice(1) : l)).join('\r\n');
					state.mails.push({ from: mail.from, to: mail.to, auth: login, raw, ...parseMail(raw) });
					mail = null;
					inData = false;
					say('250 2.0.0 queued');
					continue;
				}
				const nl = buf.indexOf('\r\n');
				if (nl < 0) break;
				const line = buf.slice(0, nl);
				buf = buf.slice(nl + 2);
				debug('>', line);
				if (authStep) {
					if (authStep === 'plain') { authStep = null; plain(line); continue; }
					const dec = Buffer.from(line, 'base64').toString('utf8');
					if (authStep === 'user') { login = dec; authStep = 'pass'; say('334 UGFzc3dvcmQ6'); continue; }
					authStep = null;
					if (login === user && dec === password) { authed = true; say('235 2.7.0 accepted'); }
					else { login = null; say('535 5.7.8 bad credentials'); }
					continue;
				}
				const verb = line.split(' ')[0].toUpperCase();
				if (verb === 'EHLO') {
					sock.write('250-cairn-tests\r\n');
					if (user) sock.write('250-AUTH PLAIN LOGIN\r\n');
					say('250 8BITMIME');
				} else if (verb === 'HELO') say('250 cairn-tests');
				else if (verb === 'AUTH') {
					const [, mech, initial] = line.split(' ');
					if (mech.toUpperCase() === 'PLAIN') {
						if (initial) plain(initial);
						else { authStep = 'plain'; say('334 '); }
					} else if (mech.toUpperCase() === 'LOGIN') {
						if (initial) { login = Buffer.from(initial, 'base64').toString('utf8'); authStep = 'pass'; say('334 UGFzc3dvcmQ6'); }
						else { authStep = 'user'; say('334 VXNlcm5hbWU6'); }
					} else say('504 5.5.4 unknown mechanism');
				} else if (verb === 'MAIL') {
					if (!authed) { say('530 5.7.0 authentication required'); continue; }
					const refuse = state.refusals.shift();
					if (refuse) { say(`${refuse} refused by the test`); continue; }
					mail = { from: (/<([^>]*)>/.exec(line) || [])[1] || '', to: [] };
					say('250 2.1.0 ok');
				} else if (verb === 'RCPT') {
					if (!mail) { say('503 5.5.1 MAIL first'); continue; }
					mail.to.push((/<([^>]*)>/.exec(line) || [])[1] || '');
					say('250 2.1.5 ok');
				} else if (verb === 'DATA') {
					if (!mail || !mail.to.length) { say('503 5.5.1 RCPT first'); continue; }
					inData = true;
					say('354 end with <CRLF>.<CRLF>');
				} else if (verb === 'RSET') { mail = null; say('250 ok'); }
				else if (verb === 'NOOP') say('250 ok');
				else if (verb === 'QUIT') { say('221 bye'); sock.end(); }
				else say('502 5.5.2 not implemented');
			}
		});
	}

	async function listen(port = 0) {
		state.server = net.createServer(session);
		await new Promise((resolve, reject) => {
			state.server.once('error', reject);
			state.server.listen(port, '127.0.0.1', resolve);
		});
		state.port = state.server.address().port;
	}
	await listen();

	return {
		get port() { return state.port; },
		get url() { return `smtp://127.0.0.1:${state.port}`; },
		mails: state.mails,
		get connections() { return state.connections; },
		/* Answer code (e.g. 451 or 554) to the next n MAIL FROM commands. */
		refuse(n, code = 451) { for (let k = 0; k < n; k++) state.refusals.push(code); },
		/* Stop listening and drop every connection (the port stays known). */
		async down() {
			for (const s of state.sockets) s.destroy();
			await new Promise((resolve) => state.server.close(resolve));
		},
		async up() { await listen(state.port); },
		/* The mails to address, once there are at least n (polling). */
		async waitFor(address, n = 1, timeoutMs = 15000) {
			const t0 = Date.now();
			for (;;) {
				const got = state.mails.filter((m) => m.to.includes(address));
				if (got.length >= n) return got;
				if (Date.now() - t0 > timeoutMs)
					throw new Error(`smtp: ${got.length} mail(s) to ${address} after ${timeoutMs} ms, expected ${n}`);
				await new Promise((r) => setTimeout(r, 50));
			}
		},
		to(address) { return state.mails.filter((m) => m.to.includes(address)); },
		async stop() {
			for (const s of state.sockets) s.destroy();
			if (state.server.listening) await new Promise((resolve) => state.server.close(resolve));
		},
	};
}
