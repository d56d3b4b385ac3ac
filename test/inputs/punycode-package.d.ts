// Types for the npm `punycode` package's file, which the tests use as the reference for src/shared/inputs/punycode.ts
// (the bare name `punycode` is Node's deprecated built-in).
declare module 'punycode/punycode.js' {
  /** Unicode label → Punycode (without the `xn--` prefix). Throws RangeError on overflow. */
  export function encode(input: string): string;
  /** Punycode (without the `xn--` prefix) → Unicode label. Throws RangeError on invalid input. */
  export function decode(input: string): string;
  export function toASCII(domain: string): string;
  export function toUnicode(domain: string): string;
  const punycode: { encode: typeof encode; decode: typeof decode; toASCII: typeof toASCII; toUnicode: typeof toUnicode };
  export default punycode;
}
