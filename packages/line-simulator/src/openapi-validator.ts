import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { convertComponents } from './openapi-schema.ts';

// Validates request bodies against the official LINE OpenAPI document and reports errors in
// LINE's shape: {"message":"The request body has N error(s)","details":[{message, property}]}.

export interface ErrorDetail {
  message: string;
  property: string;
}

export interface OpenApiValidator {
  /** Validates the JSON body of an operation; returns LINE-style details ([] when valid). */
  validate(method: string, path: string, body: unknown): ErrorDetail[];
  /** Validates a value against a named component schema. */
  validateSchema(schemaName: string, value: unknown): ErrorDetail[];
  hasOperation(method: string, path: string): boolean;
  /** The discriminator values a polymorphic schema maps (e.g. Event → message, follow, …); [] otherwise. */
  discriminatorValues(schemaName: string): string[];
  /** Compiles the validators of these operations now (they are otherwise compiled on first use). */
  warmUp(operations: [method: string, path: string][]): void;
}

interface OpenApiDocument {
  paths?: Record<
    string,
    Record<string, { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }>
  >;
  components?: { schemas?: Record<string, unknown> };
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const SCHEMA_ID = 'line-openapi';
const cache = new Map<string, OpenApiValidator>();

/** Loads (once per file and process) and returns the validator of an OpenAPI document. */
export function loadOpenApiValidator(file: string | URL): OpenApiValidator {
  const key = String(file);
  let validator = cache.get(key);
  if (!validator) {
    const doc = parseYaml(readFileSync(file, 'utf8')) as OpenApiDocument;
    validator = createOpenApiValidator(doc);
    cache.set(key, validator);
  }
  return validator;
}

export function createOpenApiValidator(doc: OpenApiDocument): OpenApiValidator {
  const { definitions } = convertComponents(doc.components?.schemas ?? {});
  // unicode: false → maxLength counts UTF-16 code units, as LINE does.
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    verbose: true,
    unicode: false,
    validateSchema: false,
    logger: false,
  });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(f, true);
  // LINE's documents put a regular expression in `format` once; it is a documentation slip.
  ajv.addFormat('^[0-9]{8}$', /^[0-9]{8}$/);
  ajv.addSchema({ $id: SCHEMA_ID, definitions });

  const operationSchemas = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      const ref = op?.requestBody?.content?.['application/json']?.schema?.$ref;
      if (ref?.startsWith('#/components/schemas/')) {
        operationSchemas.set(`${method.toUpperCase()} ${path}`, ref.slice('#/components/schemas/'.length));
      }
    }
  }

  const compiled = new Map<string, ValidateFunction>();
  function validatorFor(schemaName: string): ValidateFunction {
    let fn = compiled.get(schemaName);
    if (!fn) {
      fn = ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/${schemaName}` });
      compiled.set(schemaName, fn);
    }
    return fn;
  }

  function validateSchema(schemaName: string, value: unknown): ErrorDetail[] {
    const fn = validatorFor(schemaName);
    return fn(value) ? [] : toLineDetails(fn.errors ?? []);
  }

  return {
    validate(method, path, body) {
      const schemaName = operationSchemas.get(`${method.toUpperCase()} ${path}`);
      if (!schemaName) throw new Error(`No request body schema for ${method} ${path}`);
      return validateSchema(schemaName, body);
    },
    validateSchema,
    hasOperation(method, path) {
      return operationSchemas.has(`${method.toUpperCase()} ${path}`);
    },
    discriminatorValues(schemaName) {
      const schema = doc.components?.schemas?.[schemaName] as
        | { discriminator?: { mapping?: Record<string, string> } }
        | undefined;
      return Object.keys(schema?.discriminator?.mapping ?? {});
    },
    warmUp(operations) {
      for (const [method, path] of operations) {
        const schemaName = operationSchemas.get(`${method.toUpperCase()} ${path}`);
        if (schemaName) validatorFor(schemaName);
      }
    },
  };
}

/** `/messages/0/text` → `messages[0].text`. */
export function toLineProperty(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').slice(1);
  if (child !== undefined) parts.push(child);
  let out = '';
  for (const raw of parts) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

const MAX_INT = 2147483647;

function describe(error: ErrorObject): string {
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'must be specified';
    case 'minItems':
    case 'maxItems':
      return `Size must be between ${parent.minItems ?? 0} and ${parent.maxItems ?? MAX_INT}`;
    case 'minLength':
    case 'maxLength':
      if (error.keyword === 'minLength' && error.data === '') return 'May not be empty';
      return `Length must be between ${parent.minLength ?? 0} and ${parent.maxLength ?? MAX_INT}`;
    case 'enum':
      return `Must be one of the following values: [${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}]`;
    case 'const':
      return `Must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
    case 'type':
      return `Must be of type ${(error.params as { type: string }).type}`;
    case 'format':
      return (error.params as { format: string }).format === 'uri'
        ? 'Must be a valid URL'
        : `Must be a valid ${(error.params as { format: string }).format}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `Must be between ${parent.minimum ?? parent.exclusiveMinimum ?? -MAX_INT} and ${parent.maximum ?? parent.exclusiveMaximum ?? MAX_INT}`;
    case 'pattern':
      return `Must match the pattern ${(error.params as { pattern: string }).pattern}`;
    default:
      return error.message ?? 'Invalid value';
  }
}

/** Ajv errors → LINE's details: one per property, wrappers (if/then, anyOf) dropped. */
export function toLineDetails(errors: ErrorObject[]): ErrorDetail[] {
  const seen = new Set<string>();
  const details: ErrorDetail[] = [];
  for (const error of errors) {
    if (error.keyword === 'if' || error.keyword === 'anyOf' || error.keyword === 'oneOf') continue;
    const property =
      error.keyword === 'required'
        ? toLineProperty(error.instancePath, (error.params as { missingProperty: string }).missingProperty)
        : toLineProperty(error.instancePath);
    if (seen.has(property)) continue;
    seen.add(property);
    details.push({ message: describe(error), property });
  }
  return details;
}
