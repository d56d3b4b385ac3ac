// The simulator's view of the OVHcloud API: the trimmed schema documents generated from spec/ovh-api/ by
// scripts/generate-simulator-schema.ts, indexed for the router and the validator.
import authDocument from './auth.trimmed.json' with { type: 'json' };
import domainZoneDocument from './domain-zone.trimmed.json' with { type: 'json' };
import hostingWebDocument from './hosting-web.trimmed.json' with { type: 'json' };
import type { OvhModel, OvhOperation, TrimmedSchemaDocument } from './schema-types.js';

export interface ApiSchema {
  documents: TrimmedSchemaDocument[];
  /** Every model of every document, by full name. */
  models: Record<string, OvhModel>;
  /** The served operations, by `"METHOD /path/{template}"`. */
  operations: Map<string, OvhOperation>;
  /** Every operation of the real API, served or not, by `"METHOD /path/{template}"`. */
  realOperations: Set<string>;
}

export function loadApiSchema(): ApiSchema {
  // JSON modules are typed from their content; the documents' shape is checked by the generator that wrote them.
  const documents = [hostingWebDocument, authDocument, domainZoneDocument] as unknown as TrimmedSchemaDocument[];
  const models: Record<string, OvhModel> = {};
  const operations = new Map<string, OvhOperation>();
  const realOperations = new Set<string>();
  for (const document of documents) {
    Object.assign(models, document.models);
    for (const api of document.apis) {
      for (const operation of api.operations) operations.set(`${operation.httpMethod} ${api.path}`, operation);
    }
    for (const key of document.allOperations) realOperations.add(key);
  }
  return { documents, models, operations, realOperations };
}
