// Reads a request body whole, up to a limit: OVH calls carry small JSON documents.
import type { IncomingMessage } from 'node:http';

export class BodyTooLarge extends Error {}

export const MAX_BODY_BYTES = 1024 * 1024;

export function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
