// Payload encryption: every payload ovhflow sends to Temporal (inputs, results, update arguments, failure messages
// and stack traces via the failure converter) is AES-256-GCM encrypted before it leaves the process. Temporal stores
// only ciphertext; the key id in the metadata says which key decrypts it, so old runs survive key rotation.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Keyring } from './keyring.js';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PayloadProto = proto.temporal.api.common.v1.Payload;

/** Each key is used through HKDF so the same secret never serves two purposes (encryption vs password derivation). */
function encryptionKey(secret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'ovhflow/payload-encryption/v1', 'aes-256-gcm', 32));
}

export class EncryptionCodec implements PayloadCodec {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly keyring: Keyring) {
    for (const [id, { key }] of keyring.byId) this.keys.set(id, encryptionKey(key));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const id = this.keyring.active.id;
    const key = this.keys.get(id) as Buffer;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = PayloadProto.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: new TextEncoder().encode(ENCRYPTED_ENCODING), [KEY_ID]: new TextEncoder().encode(id) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding ? new TextDecoder().decode(payload.metadata.encoding) : undefined;
      if (encoding !== ENCRYPTED_ENCODING) return payload;
      const id = new TextDecoder().decode(payload.metadata?.[KEY_ID] ?? new Uint8Array());
      const key = this.keys.get(id);
      if (!key) throw new Error(`payload encrypted with key "${id}", which is not configured: add it to OVHFLOW_ENCRYPTION_KEY`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const iv = data.subarray(0, IV_BYTES);
      const tag = data.subarray(data.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return PayloadProto.decode(plain);
    });
  }
}

/** The data converter every ovhflow process uses: the worker, the CLI, the HTTP API, the schedules. */
export function encryptedDataConverter(keyring: Keyring): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(keyring)],
    // Failure messages and stack traces can quote inputs: they are encoded too.
    failureConverterPath: failureConverterPath(),
  };
}

/** The failure converter module, compiled (dist) or from source (tests, tsx). */
export function failureConverterPath(): string {
  const js = fileURLToPath(new URL('./failure-converter.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./failure-converter.ts', import.meta.url));
}
