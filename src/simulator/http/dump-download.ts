// Where a dump's `url` points: `/dumps/{serviceName}/{id}/{file}.sql.gz`, a small gzip'd SQL file, so a client can
// check that a finished dump really is downloadable.
import { gzipSync } from 'node:zlib';
import type { SimulatorCore } from '../core.js';

export interface DumpFile {
  status: number;
  body: Buffer | string;
  contentType: string;
}

export function dumpDownload(core: SimulatorCore, segments: string[]): DumpFile {
  const [, serviceName = '', id = ''] = segments;
  core.settle();
  const dump = core.state.services.get(serviceName)?.dumps.get(Number(id));
  if (!dump || dump.status !== 'created') return { status: 404, body: 'no such dump\n', contentType: 'text/plain; charset=utf-8' };
  const sql =
    `-- OVH API simulator dump ${dump.id} of database ${dump.databaseName} (${dump.type})\n` +
    `-- taken ${new Date(dump.creationDate).toISOString()}\n` +
    'SET NAMES utf8mb4;\n';
  return { status: 200, body: gzipSync(sql), contentType: 'application/gzip' };
}
