/*
 * openapi.mjs — check HTTP responses against docs/openapi.json, the OpenAPI
 * 3.1 document the server serves at /api/v1/openapi.json.
 *
 *   import { checkResponse } from '../lib/openapi.mjs';
 *   const problem = checkResponse('GET', '/api/v1/issues?q=x', status, headers, text);
 *   // null when the response conforms, else a sentence naming what is wrong
 *
 * A request is matched to the document's path templates ({login} and
 * {column} take a word, other parameters a positive number, and one
 * trailing slash is tolerated, as src/http/server.c matches), then: the status must be documented for the
 * operation (or `default`), the Content-Type one of the documented media
 * types (none for a documented empty answer), every header the document
 * marks required present, and a JSON body valid against the schema (Ajv,
 * JSON Schema 2020-12, formats checked).  A path under /api/ the document
 * does not know must answer 404, a known path with an undocumented method
 * 405 (with Allow), both with the Error schema.  Paths outside /api/ that
 * the document does not list (the web UI) are not checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const DOC_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/openapi.json');
const DOC_ID = 'https://cairn.invalid/openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const WORD_PARAMS = new Set(['login', 'column']);

let state = null;

function load() {
	if (state)
		return state;
	const doc = JSON.parse(fs.readFileSync(DOC_FILE, 'utf8'));
	const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
	addFormats(ajv);
	ajv.addSchema({ ...doc, $id: DOC_ID });
	const templates = Object.keys(doc.paths).map((p) => ({
		path: p,
		re: new RegExp('^' + p.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g,
			(_, n) => (WORD_PARAMS.has(n) ? '[A-Za-z0-9_]{1,32}' : '0*[1-9][0-9]{0,14}')) + '/?$'),
	}));
	state = { doc, ajv, templates, validators: new Map() };
	return state;
}

const pointer = (...parts) => '#/' + parts.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/* The validator of the schema at a JSON pointer into the document (compiled once). */
function validatorAt(ptr) {
	const s = load();
	let v = s.validators.get(ptr);
	if (!v) {
		v = s.ajv.compile({ $ref: DOC_ID + ptr });
		s.validators.set(ptr, v);
	}
	return v;
}

/* A response object, following a $ref to components/responses; with its pointer. */
function resolveResponse(resp, ptr) {
	if (resp && resp.$ref) {
		const name = resp.$ref.replace('#/components/responses/', '');
		return { resp: load().doc.components.responses[name], ptr: pointer('components', 'responses', name) };
	}
	return { resp, ptr };
}

function mediaType(headers) {
	return (headers.get('content-type') || '').split(';')[0].trim().toLowerCase();
}

function checkAgainst(resp, ptr, status, headers, text) {
	const mt = mediaType(headers);
	if (!resp.content || Object.keys(resp.content).length === 0) {
		if (text !== '')
			return `a body (${mt || 'no Content-Type'}) where the document says there is none`;
	} else {
		if (!resp.content[mt])
			return `Content-Type "${headers.get('content-type')}" is not documented (documented: ${Object.keys(resp.content).join(', ')})`;
		if (mt === 'application/json' && resp.content[mt].schema) {
			let body;
			try {
				body = JSON.parse(text);
			} catch {
				return `the body is not JSON: ${text.slice(0, 200)}`;
			}
			const v = validatorAt(`${ptr}${pointer('content', mt, 'schema').slice(1)}`);
			if (!v(body)) {
				const e = v.errors[0];
				return `the body does not match the schema: ${e.instancePath || '(root)'} ${e.message}` +
					(e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : '') +
					` (schema ${e.schemaPath})`;
			}
		}
	}
	for (const [name, h] of Object.entries(resp.headers || {}))
		if (h.required && headers.get(name) === null)
			return `header ${name} is missing`;
	return null;
}

/* Check one response; null when it conforms, else what is wrong. */
export function checkResponse(method, url, status, headers, text) {
	const s = load();
	const p = url.replace(/^https?:\/\/[^/]+/, '').split('?')[0].split('#')[0];
	const t = s.templates.find((x) => x.re.test(p));
	const err = (name) => resolveResponse({ $ref: `#/components/responses/${name}` });
	if (!t) {
		if (!p.startsWith('/api/') && p !== '/api')
			return null;
		/* refused before routing: the request's size, framing or Expect */
		const early = { 400: 'Malformed', 413: 'TooLarge', 414: 'UriTooLong', 417: 'ExpectationFailed', 431: 'HeadersTooLarge' };
		if (status !== 404 && !early[status])
			return `${p} is not in the document, so the answer must be 404 (got ${status})`;
		const r = err(status === 404 ? 'NotFound' : early[status]);
		return checkAgainst(r.resp, r.ptr, status, headers, text);
	}
	const m = method.toUpperCase() === 'HEAD' ? 'get' : method.toLowerCase();
	const op = s.doc.paths[t.path][m];
	if (!op || !METHODS.includes(m)) {
		if (status !== 405)
			return `${method} is not documented for ${t.path}, so the answer must be 405 (got ${status})`;
		const r = err('MethodNotAllowed');
		return checkAgainst(r.resp, r.ptr, status, headers, method === 'HEAD' ? '' : text);
	}
	const code = op.responses[String(status)] ? String(status) : op.responses.default ? 'default' : null;
	if (!code)
		return `status ${status} is not documented for ${method} ${t.path} (documented: ${Object.keys(op.responses).join(', ')})`;
	const r = resolveResponse(op.responses[code], pointer('paths', t.path, m, 'responses', code));
	if (method.toUpperCase() === 'HEAD')
		return null;
	const problem = checkAgainst(r.resp, r.ptr, status, headers, text);
	return problem && `${problem} [${method} ${t.path} → ${code}]`;
}

/* Throw when the response does not conform; the message names the request. */
export function assertConforms(method, url, status, headers, text) {
	const problem = checkResponse(method, url, status, headers, text);
	if (problem)
		throw new Error(`response does not conform to docs/openapi.json: ${method} ${url} -> ${status}: ${problem}\n` +
			`body: ${String(text).slice(0, 600)}`);
}
