// Converts OpenAPI 3.0 component schemas into JSON Schema (draft-07) definitions that Ajv compiles.
//
// - `$ref: '#/components/schemas/X'` → `#/definitions/X`.
// - `nullable: true` → the type also allows null.
// - Polymorphism: LINE's documents declare a base schema with a `discriminator` whose mapped
//   subtypes extend it with `allOf: [{$ref: Base}, {...}]`. The base is emitted twice: `X__base`
//   (its own properties, used by the subtypes' allOf) and `X` (base + dispatch on the
//   discriminator property to the mapped subtype, + an enum of the known values so an unknown
//   `type` is reported like LINE does).

type Schema = Record<string, unknown>;

const SCHEMA_REF_PREFIX = '#/components/schemas/';
const DROP_KEYS = new Set([
  'discriminator',
  'example',
  'examples',
  'externalDocs',
  'description',
  'xml',
  'deprecated',
]);

export interface ConvertedSchemas {
  definitions: Record<string, Schema>;
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refName(ref: unknown): string | undefined {
  return typeof ref === 'string' && ref.startsWith(SCHEMA_REF_PREFIX)
    ? ref.slice(SCHEMA_REF_PREFIX.length)
    : undefined;
}

export function convertComponents(components: Record<string, unknown>): ConvertedSchemas {
  const polymorphic = new Set<string>();
  for (const [name, schema] of Object.entries(components)) {
    if (isObject(schema) && isObject(schema.discriminator)) polymorphic.add(name);
  }

  /** Converts one schema; `inAllOf` is true for the members of an allOf (where a base is meant). */
  function convert(schema: unknown, inAllOf = false): unknown {
    if (!isObject(schema)) return schema;
    const name = refName(schema.$ref);
    if (name !== undefined) {
      const target = inAllOf && polymorphic.has(name) ? `${name}__base` : name;
      return { $ref: `#/definitions/${target}` };
    }
    const out: Schema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (DROP_KEYS.has(key) || key.startsWith('x-') || key === 'nullable') continue;
      switch (key) {
        case 'properties':
        case 'patternProperties': {
          const props: Schema = {};
          for (const [prop, sub] of Object.entries(value as Schema)) props[prop] = convert(sub);
          out[key] = props;
          break;
        }
        case 'items':
        case 'additionalProperties':
        case 'not':
          out[key] = typeof value === 'boolean' ? value : convert(value);
          break;
        case 'allOf':
          out[key] = (value as unknown[]).map((s) => convert(s, true));
          break;
        case 'anyOf':
        case 'oneOf':
          out[key] = (value as unknown[]).map((s) => convert(s));
          break;
        default:
          out[key] = value;
      }
    }
    if (schema.nullable === true) {
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    }
    return out;
  }

  const definitions: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(components)) {
    const converted = convert(schema) as Schema;
    if (!polymorphic.has(name)) {
      definitions[name] = converted;
      continue;
    }
    definitions[`${name}__base`] = converted;
    const discriminator = (schema as Schema).discriminator as {
      propertyName: string;
      mapping?: Record<string, string>;
    };
    const prop = discriminator.propertyName;
    const mapping = discriminator.mapping ?? {};
    const values = Object.keys(mapping);
    definitions[name] = {
      allOf: [
        { $ref: `#/definitions/${name}__base` },
        { properties: { [prop]: { enum: values } } },
        ...values.map((value) => ({
          if: { properties: { [prop]: { const: value } }, required: [prop] },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
          then: { $ref: `#/definitions/${refName(mapping[value]) ?? ''}` },
        })),
      ],
    };
  }
  return { definitions };
}
