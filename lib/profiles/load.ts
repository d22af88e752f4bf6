import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import type { Profile } from './types.js'
import { ut11Profile } from './ut11.js'

const BUILT_IN: Record<string, Profile> = { ut11: ut11Profile }

const name = { type: 'string', pattern: '^[\\p{L}_][\\p{L}\\p{N}_]*$' }
const setName = { type: 'string', pattern: '^[\\p{L}_][\\p{L}\\p{N}_]*$' }
const kind = { enum: ['ContactPerson', 'Partner', 'Counterparty'] }

const schema = {
  type: 'object',
  required: ['name', 'sources', 'contactInfo', 'kindsSet', 'create', 'journal'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    sources: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['kind', 'set', 'contactSection', 'contactSet', 'nameField', 'person', 'deletionMarkField'],
        additionalProperties: false,
        properties: {
          kind,
          set: setName,
          contactSection: name,
          contactSet: setName,
          nameField: name,
          searchFields: { type: 'array', minItems: 1, items: name },
          person: {
            type: 'object',
            required: ['when', 'order'],
            additionalProperties: false,
            properties: {
              when: {
                oneOf: [
                  { enum: ['always', 'never'] },
                  { type: 'object', required: ['field', 'values'], additionalProperties: false, properties: { field: name, values: { type: 'array', items: { type: 'string' } } } },
                ],
              },
              order: { enum: ['last-first', 'first-last'] },
            },
          },
          parent: { type: 'object', required: ['field', 'source', 'companyName'], additionalProperties: false, properties: { field: name, source: kind, companyName: { type: 'boolean' } } },
          extraFields: { type: 'array', items: name },
          deletionMarkField: name,
          folderField: name,
        },
      },
    },
    contactInfo: {
      type: 'object',
      additionalProperties: false,
      required: ['typeField', 'kindField', 'phoneType', 'emailType', 'phoneField', 'phoneWithoutCodesField', 'presentationField', 'valueField', 'emailField'],
      properties: {
        typeField: name, kindField: name, phoneType: { type: 'string' }, emailType: { type: 'string' }, phoneField: name,
        phoneWithoutCodesField: name, presentationField: name, valueField: name, emailField: name,
      },
    },
    kindsSet: setName,
    create: {
      type: 'object',
      additionalProperties: false,
      required: ['source', 'defaults', 'phoneKind', 'emailKind'],
      properties: {
        source: kind,
        defaults: { type: 'object' },
        phoneKind: { type: 'string' },
        emailKind: { type: 'string' },
        contactPerson: {
          type: 'object',
          additionalProperties: false,
          required: ['source', 'ownerField', 'defaults', 'phoneKind', 'emailKind'],
          properties: { source: kind, ownerField: name, defaults: { type: 'object' }, phoneKind: { type: 'string' }, emailKind: { type: 'string' } },
        },
      },
    },
    journal: { type: 'object', additionalProperties: false, required: ['register', 'document'], properties: { register: setName, document: setName } },
  },
}

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)

export class ProfileError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ProfileError'
  }
}

/** A built-in profile by name, or a profile JSON file (validated: a wrong file stops the start). */
export function loadProfile (nameOrPath: string): Profile {
  const builtIn = BUILT_IN[nameOrPath]
  if (builtIn !== undefined) return builtIn
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(nameOrPath, 'utf8'))
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message
    throw new ProfileError(`PROFILE: "${nameOrPath}" is neither a built-in profile (${Object.keys(BUILT_IN).join(', ')}) nor a readable JSON file: ${reason}.`)
  }
  return checkProfile(parsed, nameOrPath)
}

export function checkProfile (value: unknown, where: string): Profile {
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map(e => `${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? 'is invalid'}`)
    throw new ProfileError(`PROFILE: ${where} is not a valid profile: ${problems.join('; ')}.`)
  }
  const profile = value as unknown as Profile
  const kinds = profile.sources.map(s => s.kind)
  if (new Set(kinds).size !== kinds.length) throw new ProfileError(`PROFILE: ${where} lists a source kind twice.`)
  for (const s of profile.sources) {
    if (s.parent !== undefined && !kinds.includes(s.parent.source)) throw new ProfileError(`PROFILE: ${where}: the parent kind ${s.parent.source} of ${s.kind} is not a source.`)
  }
  for (const target of [profile.create.source, profile.create.contactPerson?.source]) {
    if (target !== undefined && !kinds.includes(target)) throw new ProfileError(`PROFILE: ${where}: the creation target ${target} is not a source.`)
  }
  return profile
}
