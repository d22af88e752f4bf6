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
      /** found, not_found, ambiguous, budget_exceeded, error: for people reading the answer; 3CX ignores it. */
      outcome: { type: 'string' },
    },
  },
} as const
