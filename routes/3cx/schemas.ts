/** The answer every contact scenario gives (docs/3cx-api.md): flat contacts, every field present. */
export const contactSchema = {
  type: 'object',
  required: ['ContactID', 'FirstName', 'LastName', 'CompanyName', 'Email', 'PhoneBusiness', 'PhoneMobile', 'PhoneOther', 'EntityType', 'ContactUrl'],
  properties: {
    ContactID: { type: 'string' },
    FirstName: { type: 'string' },
    LastName: { type: 'string' },
    CompanyName: { type: 'string' },
    Email: { type: 'string' },
    PhoneBusiness: { type: 'string' },
    PhoneMobile: { type: 'string' },
    PhoneOther: { type: 'string' },
    EntityType: { type: 'string' },
    ContactUrl: { type: 'string' },
  },
} as const

export const contactsResponse = {
  200: {
    type: 'object',
    required: ['contacts'],
    properties: {
      contacts: { type: 'array', items: contactSchema },
      /**
       * found, not_found, ambiguous, budget_exceeded, error, invalid (lookups and search); created, existing,
       * ambiguous (creation): for people reading the answer; 3CX ignores it.
       */
      outcome: { type: 'string' },
      /** Why what 3CX sent was not looked up (outcome invalid, or not_found for a local number). */
      reason: { type: 'string' },
    },
  },
} as const

/** A 1C reference (Ref_Key), or empty for "none". */
export const GUID_OR_EMPTY = '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$'
