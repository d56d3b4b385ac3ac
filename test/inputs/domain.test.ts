import punycodePackage from 'punycode/punycode.js';
import { describe, expect, it } from 'vitest';
import {
  domainToUnicode,
  normalizeDomainName,
  normalizeServiceName,
  punycodeDecode,
  punycodeEncode,
} from '../../src/shared/inputs/index.js';

const accepted: [string, string][] = [
  ['example.com', 'example.com'],
  ['Shop.Example.COM', 'shop.example.com'],
  ['  shop.example.com  ', 'shop.example.com'],
  ['shop.example.com.', 'shop.example.com'],
  ['münchen.de', 'xn--mnchen-3ya.de'],
  ['MÜNCHEN.DE', 'xn--mnchen-3ya.de'],
  ['xn--mnchen-3ya.de', 'xn--mnchen-3ya.de'],
  ['bücher.example', 'xn--bcher-kva.example'],
  ['ｅｘａｍｐｌｅ．ｃｏｍ', 'example.com'], // fullwidth letters and dot, as an IME types them
  ['例え。テスト', 'xn--r8jz45g.xn--zckzah'], // ideographic full stop
  ['пример.рф', 'xn--e1afmkfd.xn--p1ai'], // all Cyrillic: a real name, stored as Punycode
  ['a-b.c-d.example', 'a-b.c-d.example'],
  ['123.example.com', '123.example.com'],
  [`${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`],
];

const refused: [string, string, RegExp][] = [
  ['empty', '', /must not be empty/],
  ['blank', '   ', /must not be empty/],
  ['empty label', 'shop..example.com', /empty label/],
  ['leading dot', '.example.com', /empty label/],
  ['two trailing dots', 'example.com..', /empty label/],
  ['IPv4', '192.0.2.10', /IP address/],
  ['IPv6', '2001:db8::1', /IP address/],
  ['bracketed IPv6', '[::1]', /IP address/],
  ['single label', 'localhost', /single label/],
  ['wildcard', '*.example.com', /wildcards cannot be attached/],
  ['inner wildcard', 'a.*.example.com', /wildcards/],
  ['underscore', '_dmarc.example.com', /"_"/],
  ['leading hyphen', '-shop.example.com', /hyphen/],
  ['trailing hyphen', 'shop-.example.com', /hyphen/],
  ['reserved --', 'ab--cd.example.com', /reserved/],
  ['label of 64', `${'a'.repeat(64)}.com`, /64 characters long; at most 63/],
  ['encoded label over 63', `${'ü'.repeat(60)}.com`, /once encoded; at most 63/],
  ['name over 253', `${Array.from({ length: 5 }, () => 'b'.repeat(60)).join('.')}.com`, /at most 253/],
  ['URL', 'https://shop.example.com/path', /looks like a URL.*"shop\.example\.com"/],
  ['URL with credentials', 'http://user:pw@shop.example.com', /looks like a URL.*"shop\.example\.com"/],
  ['port', 'shop.example.com:8080', /port/],
  ['folder', 'shop.example.com/www', /"\/"/],
  ['email', 'admin@example.com', /"@"/],
  ['space', 'shop example.com', /space/],
  ['tab', 'shop\texample.com', /control character U\+0009/],
  ['NUL', 'shop\u0000.example.com', /control character U\+0000/],
  ['zero-width space', 'sh\u200bop.example.com', /U\+200B/],
  ['emoji', 'i❤.example.com', /U\+2764/],
  ['Latin + Cyrillic homograph', 'p\u0430ypal.com', /mixes .*Latin.*Cyrillic|mixes .*Cyrillic.*Latin/],
  ['Latin + Greek homograph', 'g\u03bfogle.com', /mixes/],
  ['percent', 'shop%2e.example.com', /"%"/],
  ['numeric TLD', 'example.123', /all digits/],
  ['one-letter TLD', 'example.c', /at least two letters/],
  ['bad Punycode', 'xn--zz-.example.com', /not valid Punycode/],
  ['Punycode of ASCII', 'xn--abc-.example.com', /not valid Punycode/],
  ['Punycode hiding a homograph', `${punycodePackage.toASCII('p\u0430ypal')}.com`, /mixes/],
];

describe('domain names', () => {
  it.each(accepted)('accepts %j as %j', (raw, expected) => {
    expect(normalizeDomainName(raw)).toEqual({ ok: true, value: expected });
  });

  it.each(refused)('refuses %s', (_name, raw, message) => {
    const result = normalizeDomainName(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('quotes the offending name in the message, escaping invisible characters', () => {
    expect(normalizeDomainName('shop..example.com')).toEqual({
      ok: false,
      message: '"shop..example.com" is not a valid domain name (empty label)',
    });
    const zeroWidth = normalizeDomainName('sh\u200bop.example.com');
    expect(!zeroWidth.ok && zeroWidth.message).toContain('"sh\\u200bop.example.com"');
  });

  it('refuses a megabyte of text without quoting it back', () => {
    const result = normalizeDomainName('a'.repeat(1_000_000));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeLessThan(200);
  });

  it('names a hosting service in its messages', () => {
    const result = normalizeServiceName('demo');
    expect(!result.ok && result.message).toMatch(/not a valid hosting service name/);
    expect(normalizeServiceName('Demo-Agency.OVH')).toEqual({ ok: true, value: 'demo-agency.ovh' });
  });

  it('shows a stored name in its readable form', () => {
    expect(domainToUnicode('xn--mnchen-3ya.de')).toBe('münchen.de');
    expect(domainToUnicode('shop.example.com')).toBe('shop.example.com');
  });
});

describe('the sandbox-safe Punycode', () => {
  it.each([
    ['münchen', 'mnchen-3ya'],
    ['bücher', 'bcher-kva'],
    ['例え', 'r8jz45g'],
    ['пример', 'e1afmkfd'],
    ['abc', 'abc-'],
    ['', ''],
  ])('encodes %j as the npm package does (%j)', (unicode, encoded) => {
    expect(punycodeEncode(unicode)).toBe(encoded);
    expect(punycodePackage.encode(unicode)).toBe(encoded);
    expect(punycodeDecode(encoded)).toBe(unicode);
  });

  it('rejects invalid Punycode with a RangeError', () => {
    for (const bad of ['zz-!', '99999999999', 'ü-a', 'a-+']) {
      expect(() => punycodeDecode(bad)).toThrow(RangeError);
    }
  });
});
