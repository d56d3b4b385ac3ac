// The OpenAPI 3.1 document, generated from the routes as they are registered (their `schema`), so a route cannot be
// served without being described, nor described without being served.
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { JsonSchema } from './schemas.js';

declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: string[];
    /** `[]` for a public route. */
    security?: Array<Record<string, string[]>>;
  }
}

interface Operation {
  method: string;
  path: string;
  route: RouteOptions;
}

/** Starts recording routes; call before registering any. The document is built on first request. */
export function recordRoutes(app: FastifyInstance): () => Operation[] {
  const operations: Operation[] = [];
  app.addHook('onRoute', (route) => {
    if (route.config?.hidden) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      operations.push({ method: method.toLowerCase(), path: route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}'), route });
    }
  });
  return () => operations;
}

const isSchema = (value: JsonSchema) => ['type', 'properties', 'anyOf', 'oneOf', 'allOf', '$ref', 'enum', 'const'].some((key) => key in value);

function responseObject(status: string, value: JsonSchema): Record<string, unknown> {
  if ('content' in value) return value;
  const { description, ...schema } = value;
  const text = typeof description === 'string' ? description : status.startsWith('2') ? 'Success' : 'Error';
  return isSchema(schema) ? { description: text, content: { 'application/json': { schema } } } : { description: text };
}

function parametersOf(where: 'path' | 'query' | 'header', schema: unknown): unknown[] {
  const properties = (schema as { properties?: Record<string, JsonSchema> } | undefined)?.properties ?? {};
  const required = new Set((schema as { required?: string[] } | undefined)?.required ?? []);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/** A body with no required field (retry's optional corrections) may be left out altogether. */
const hasRequiredFields = (schema: unknown) => ((schema as { required?: unknown[] }).required?.length ?? 0) > 0;

export function buildOpenApiDocument(operations: Operation[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, route } of operations) {
    const schema = route.schema ?? {};
    const parameters = [
      ...parametersOf('path', schema.params),
      ...parametersOf('query', schema.querystring),
      ...parametersOf('header', schema.headers),
    ];
    const responses = Object.fromEntries(
      Object.entries((schema.response ?? {}) as Record<string, JsonSchema>).map(([status, value]) => [status, responseObject(status, value)]),
    );
    (paths[path] ??= {})[method] = {
      operationId: `${method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      ...(schema.summary ? { summary: schema.summary } : {}),
      ...(schema.description ? { description: schema.description } : {}),
      ...(schema.tags ? { tags: schema.tags } : {}),
      ...(schema.security ? { security: schema.security } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(schema.body ? { requestBody: { required: hasRequiredFields(schema.body), content: { 'application/json': { schema: schema.body } } } } : {}),
      responses: Object.keys(responses).length > 0 ? responses : { 200: { description: 'Success' } },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ovhflow HTTP API',
      version: info.version,
      description:
        'Start and follow OVHcloud Web Hosting runs (provisioning, backups, restores), and make operator decisions on runs that need attention. Every endpoint but /healthz, this document and the codec login page requires `Authorization: Bearer <OVHFLOW_API_TOKEN>`. Answers may contain secrets (generated passwords in run results, decoded payloads): keep them out of logs and shared places.',
    },
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'OVHFLOW_API_TOKEN' } },
    },
    tags: [
      { name: 'runs', description: 'Start runs, follow them, decide for them' },
      { name: 'schedules', description: 'The nightly-dumps Temporal Schedule' },
      { name: 'dns', description: "Whether a domain points at its hosting, and what to change" },
      { name: 'codec', description: "Temporal's remote codec protocol, for the Temporal UI and CLI" },
      { name: 'service', description: 'Health and this document' },
    ],
    paths,
  };
}
