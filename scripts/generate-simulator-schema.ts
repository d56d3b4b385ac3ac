// Generates the trimmed OVHcloud API schemas the simulator is built from: from each real schema in
// spec/ovh-api/ (or the directory given as the first argument), keep the operations the simulator serves and
// every model they reference, and write them beside the simulator's code. The output is committed, so building or
// running the simulator never needs ../shared; re-run with `npm run sim:schema` when the schema or the list of
// served operations changes.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OvhApi, OvhModel, OvhOperation, OvhSchemaDocument, TrimmedSchemaDocument } from '../src/simulator/schema/schema-types.js';
import { typeOf } from '../src/simulator/schema/schema-types.js';
import { SCHEMA_SOURCES, SERVED_OPERATIONS } from '../src/simulator/schema/served-operations.js';
import { mentionedTypeNames } from '../src/simulator/schema/type-names.js';

const projectRoot = resolve(fileURLToPath(import.meta.url), '../..');
// Compiled into dist/scripts/ the file sits one level deeper; both resolve to the project root's parent layout.
const root = projectRoot.endsWith('/dist') ? resolve(projectRoot, '..') : projectRoot;

export function trimSchema(full: OvhSchemaDocument, sourceName: string, served: readonly string[]): TrimmedSchemaDocument {
  const wanted = new Set(served);
  const found = new Set<string>();
  const apis: OvhApi[] = [];
  for (const api of full.apis) {
    const operations: OvhOperation[] = [];
    for (const operation of api.operations) {
      const key = `${operation.httpMethod} ${api.path}`;
      if (!wanted.has(key)) continue;
      found.add(key);
      operations.push({
        httpMethod: operation.httpMethod,
        noAuthentication: operation.noAuthentication,
        apiStatus: { value: operation.apiStatus.value },
        parameters: operation.parameters.map((p) => ({
          ...(p.name === undefined ? {} : { name: p.name }),
          paramType: p.paramType,
          dataType: p.dataType,
          ...(p.fullType === undefined ? {} : { fullType: p.fullType }),
          required: p.required,
        })),
        responseType: operation.responseType,
        ...(operation.iamActions ? { iamActions: operation.iamActions.map((action) => ({ name: action.name, required: action.required })) } : {}),
      });
    }
    if (operations.length > 0) apis.push({ path: api.path, operations });
  }

  const models: Record<string, OvhModel> = {};
  const queue = apis.flatMap((api) => api.operations.flatMap((o) => [o.responseType, ...o.parameters.map((p) => typeOf(p))]));
  while (queue.length > 0) {
    const type = queue.pop() as string;
    for (const name of mentionedTypeNames(type)) {
      const model = full.models[name];
      if (!model || models[name]) continue;
      models[name] = trimModel(model);
      for (const property of Object.values(model.properties ?? {})) queue.push(typeOf(property));
    }
  }

  return {
    generatedFrom: `spec/ovh-api/${sourceName}.json`,
    apiVersion: full.apiVersion,
    basePath: full.basePath,
    resourcePath: full.resourcePath,
    apis,
    models: Object.fromEntries(Object.entries(models).sort(([a], [b]) => a.localeCompare(b))),
    allOperations: full.apis.flatMap((api) => api.operations.map((o) => `${o.httpMethod} ${api.path}`)).sort(),
  };
}

function trimModel(model: OvhModel): OvhModel {
  const trimmed: OvhModel = { id: model.id, namespace: model.namespace };
  if (model.enum) trimmed.enum = model.enum;
  if (model.enumType) trimmed.enumType = model.enumType;
  if (model.generics) trimmed.generics = model.generics;
  if (model.properties) {
    trimmed.properties = Object.fromEntries(
      Object.entries(model.properties).map(([name, p]) => [
        name,
        { type: p.type, ...(p.fullType === undefined ? {} : { fullType: p.fullType }), canBeNull: p.canBeNull, readOnly: p.readOnly, required: p.required },
      ]),
    );
  }
  return trimmed;
}

function main(): void {
  const sourceDir = resolve(process.argv[2] ?? resolve(root, 'spec/ovh-api'));
  const outDir = resolve(root, 'src/simulator/schema');
  const served = new Set<string>(SERVED_OPERATIONS);
  for (const source of SCHEMA_SOURCES) {
    const full = JSON.parse(readFileSync(resolve(sourceDir, `${source}.json`), 'utf8')) as OvhSchemaDocument;
    const trimmed = trimSchema(full, source, SERVED_OPERATIONS);
    for (const api of trimmed.apis) for (const o of api.operations) served.delete(`${o.httpMethod} ${api.path}`);
    const file = resolve(outDir, `${source}.trimmed.json`);
    writeFileSync(file, `${JSON.stringify(trimmed, null, 2)}\n`);
    const operations = trimmed.apis.reduce((n, api) => n + api.operations.length, 0);
    console.log(`${file}: ${operations} operations, ${Object.keys(trimmed.models).length} models`);
  }
  if (served.size > 0) {
    throw new Error(`served operations missing from the real schema: ${[...served].join(', ')}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
