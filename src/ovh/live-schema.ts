// Does the API still offer what ovhflow calls? OVH serves its schema without authentication
// (`<endpoint>/hosting/web.json`, `/domain.json`, `/auth.json`); `ovhflow doctor` compares it with the operations
// table: every operation must be there, with every path parameter the client fills, every parameter ovhflow was
// built to send (those of the vendored schema, which the contract test holds the client to), and no new required
// parameter ovhflow does not send. A problem names the commands it breaks.
import authSchema from '../../spec/ovh-api/auth.json' with { type: 'json' };
import domainZoneSchema from '../../spec/ovh-api/domain-zone.json' with { type: 'json' };
import hostingWebSchema from '../../spec/ovh-api/hosting-web.json' with { type: 'json' };
import { OPERATION_COMMANDS } from './operation-commands.js';
import { ovhOperations, type OperationName } from './operations.js';

export interface SchemaParameter {
  name?: string;
  paramType: string;
  required?: boolean;
}

export interface SchemaDocumentLike {
  apis: Array<{ path: string; operations: Array<{ httpMethod: string; parameters?: SchemaParameter[] }> }>;
}

/** The schema documents ovhflow reads, by the path OVH serves each at (relative to the API root). */
export const LIVE_SCHEMA_PATHS = ['/hosting/web.json', '/domain.json', '/auth.json'] as const;

export interface LiveSchemaProblem {
  operation: OperationName;
  call: string;
  problem: string;
  commands: readonly string[];
}

function index(documents: readonly SchemaDocumentLike[]): Map<string, SchemaParameter[]> {
  const operations = new Map<string, SchemaParameter[]>();
  for (const document of documents) {
    for (const api of document.apis ?? []) for (const operation of api.operations ?? []) operations.set(`${operation.httpMethod} ${api.path}`, operation.parameters ?? []);
  }
  return operations;
}

const VENDORED = index([hostingWebSchema, domainZoneSchema, authSchema]);

const key = (p: SchemaParameter) => `${p.paramType}:${p.name ?? '(body)'}`;

/** What the live documents lack of ovhflow's calls; empty when the API still offers all of them as ovhflow uses them. */
export function liveSchemaProblems(live: readonly SchemaDocumentLike[]): LiveSchemaProblem[] {
  const served = index(live);
  const problems: LiveSchemaProblem[] = [];
  for (const operation of ovhOperations()) {
    const call = `${operation.method} ${operation.path}`;
    const add = (problem: string) => problems.push({ operation: operation.name, call, problem, commands: OPERATION_COMMANDS[operation.name] });
    const parameters = served.get(call);
    if (!parameters) {
      add('the API no longer offers this operation');
      continue;
    }
    const offered = new Set(parameters.map(key));
    const placeholders = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => `path:${match[1]}`);
    const expected = new Set([...placeholders, ...(VENDORED.get(call) ?? []).map(key)]);
    const gone = [...expected].filter((parameter) => !offered.has(parameter));
    if (gone.length > 0) add(`the API no longer takes ${gone.map((p) => p.replace(':', ' parameter ')).join(', ')}`);
    const newRequired = parameters.filter((p) => p.required && !expected.has(key(p))).map(key);
    if (newRequired.length > 0) add(`the API now requires ${newRequired.map((p) => p.replace(':', ' parameter ')).join(', ')}, which ovhflow does not send`);
  }
  return problems;
}
