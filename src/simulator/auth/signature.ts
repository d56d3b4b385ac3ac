// OVH's request signature: "$1$" + sha1_hex(AS + "+" + CK + "+" + METHOD + "+" + URL + "+" + BODY + "+" + TS).
// Clients disagree on the URL: the official Node client signs `https://` + host *without* its port, the Python
// client signs the full endpoint URL *with* the port. Both are what a client really asked for, so both verify.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface SignedParts {
  applicationSecret: string;
  consumerKey: string;
  method: string;
  url: string;
  body: string;
  timestamp: string;
}

export function signRequest(parts: SignedParts): string {
  const text = [parts.applicationSecret, parts.consumerKey, parts.method, parts.url, parts.body, parts.timestamp].join('+');
  return `$1$${createHash('sha1').update(text).digest('hex')}`;
}

/** The URLs a client may have signed for a request that arrived with this Host header and request target. */
export function signableUrls(hostHeader: string, requestTarget: string): string[] {
  const hostWithoutPort = hostHeader.replace(/:\d+$/, '');
  const urls = [`https://${hostHeader}${requestTarget}`];
  if (hostWithoutPort !== hostHeader) urls.push(`https://${hostWithoutPort}${requestTarget}`);
  return urls;
}

export function signatureMatches(given: string, parts: Omit<SignedParts, 'url'>, urls: string[]): boolean {
  const givenBuffer = Buffer.from(given);
  return urls.some((url) => {
    const expected = Buffer.from(signRequest({ ...parts, url }));
    return expected.length === givenBuffer.length && timingSafeEqual(expected, givenBuffer);
  });
}
