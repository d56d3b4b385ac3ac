// RFC 3492 Punycode for single labels, written out here because the workflow sandbox cannot load the npm package:
// Temporal's bundler refuses any module path starting with a Node built-in's name, and `punycode/punycode.js` starts
// with `punycode`. The tests check this against the npm package on random input.

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 0x80;
const MAX_INT = 0x7fffffff;

function adapt(delta: number, points: number, firstTime: boolean): number {
  let k = 0;
  delta = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  delta += Math.floor(delta / points);
  for (; delta > ((BASE - T_MIN) * T_MAX) >> 1; k += BASE) delta = Math.floor(delta / (BASE - T_MIN));
  return Math.floor(k + ((BASE - T_MIN + 1) * delta) / (delta + SKEW));
}

/** 0–25 → a–z, 26–35 → 0–9. */
function digitToChar(digit: number): string {
  return String.fromCharCode(digit < 26 ? 0x61 + digit : 0x30 + digit - 26);
}

function charToDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 26;
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  if (code >= 0x61 && code <= 0x7a) return code - 0x61;
  return BASE;
}

function threshold(k: number, bias: number): number {
  return k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
}

/** A Unicode label → its Punycode form, without the `xn--` prefix. Throws RangeError on overflow. */
export function punycodeEncode(label: string): string {
  const codePoints = Array.from(label, (ch) => ch.codePointAt(0) ?? 0);
  let output = '';
  for (const cp of codePoints) if (cp < 0x80) output += String.fromCharCode(cp);
  const basicLength = output.length;
  let handled = basicLength;
  if (basicLength > 0) output += '-';

  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < codePoints.length) {
    let m = MAX_INT;
    for (const cp of codePoints) if (cp >= n && cp < m) m = cp;
    if (m - n > Math.floor((MAX_INT - delta) / (handled + 1))) throw new RangeError('punycode overflow');
    delta += (m - n) * (handled + 1);
    n = m;
    for (const cp of codePoints) {
      if (cp < n && ++delta > MAX_INT) throw new RangeError('punycode overflow');
      if (cp !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = threshold(k, bias);
        if (q < t) break;
        output += digitToChar(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      output += digitToChar(q);
      bias = adapt(delta, handled + 1, handled === basicLength);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

/** A Punycode label (without `xn--`) → Unicode. Throws RangeError on anything that is not valid Punycode. */
export function punycodeDecode(encoded: string): string {
  const output: number[] = [];
  const basic = Math.max(encoded.lastIndexOf('-'), 0);
  for (let j = 0; j < basic; j++) {
    const code = encoded.charCodeAt(j);
    if (code >= 0x80) throw new RangeError('punycode: not a basic code point');
    output.push(code);
  }
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  for (let index = basic > 0 ? basic + 1 : 0; index < encoded.length; ) {
    const oldI = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (index >= encoded.length) throw new RangeError('punycode: truncated input');
      const digit = charToDigit(encoded.charCodeAt(index++));
      if (digit >= BASE) throw new RangeError('punycode: invalid character');
      if (digit > Math.floor((MAX_INT - i) / w)) throw new RangeError('punycode overflow');
      i += digit * w;
      const t = threshold(k, bias);
      if (digit < t) break;
      if (w > Math.floor(MAX_INT / (BASE - t))) throw new RangeError('punycode overflow');
      w *= BASE - t;
    }
    const length = output.length + 1;
    bias = adapt(i - oldI, length, oldI === 0);
    if (Math.floor(i / length) > MAX_INT - n) throw new RangeError('punycode overflow');
    n += Math.floor(i / length);
    i %= length;
    if (n > 0x10ffff) throw new RangeError('punycode: code point out of range');
    output.splice(i++, 0, n);
  }
  let text = '';
  for (const cp of output) text += String.fromCodePoint(cp);
  return text;
}
