// dom.js — build DOM safely.  Strings always become text nodes; there is no
// way to pass HTML through h().  The only innerHTML in the app is
// server-rendered, sanitized markdown (issue bodies, comments: see issue.js).

export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	if (attrs) {
		for (const [k, v] of Object.entries(attrs)) {
			if (v === null || v === undefined || v === false) continue;
			if (k === 'class') el.className = v;
			else if (k === 'dataset') Object.assign(el.dataset, v);
			else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
			else if (k === 'value' || k === 'checked' || k === 'selected' || k === 'disabled') el[k] = v;
			else if (v === true) el.setAttribute(k, '');
			else el.setAttribute(k, String(v));
		}
	}
	append(el, children);
	return el;
}

function append(el, children) {
	for (const c of children) {
		if (c === null || c === undefined || c === false) continue;
		if (Array.isArray(c)) append(el, c);
		else if (c instanceof Node) el.appendChild(c);
		else el.appendChild(document.createTextNode(String(c)));
	}
}

export function clear(el) {
	while (el.firstChild) el.removeChild(el.firstChild);
	return el;
}

export function replace(el, ...children) {
	clear(el);
	append(el, children);
	return el;
}

/* Small inline SVG icons, built with the SVG namespace (no markup strings). */
const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs, ...children) {
	const el = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
	for (const c of children) if (c) el.appendChild(c);
	return el;
}

let idSeq = 0;
export function uid(prefix = 'f') {
	idSeq += 1;
	return `${prefix}-${idSeq}`;
}
