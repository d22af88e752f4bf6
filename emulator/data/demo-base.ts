import type { Owner } from './builder.js'
import { DEMO_PARTNERS, demoKpp } from './demo-records.js'
import type { DemoPhone } from './demo-records.js'
import { demoReadme } from './demo-readme.js'
import { generateInto } from './generate.js'
import type { Generation } from './generate.js'
import { LOCAL_AREA_CODE } from './phone-plan.js'
import { sharedNumbers, suffixCollisions } from './truth.js'
import type { PhoneTruthRow, SharedNumber, SuffixCollision } from './truth.js'
import type { BaseData } from './types.js'
import { EMPTY_DATE, EMPTY_REF } from './values.js'

/** The demo base: a small generated base plus the curated records of demo-records.ts. */

export const DEMO_SEED = 2024
export const DEMO_GENERATED_PARTNERS = 60

/** A curated phone row and what it demonstrates. */
export interface CuratedPhone extends PhoneTruthRow {
  shows: string
}

export interface DemoExpectations {
  seed: number
  generatedPartners: number
  /** 7-digit numbers typed without an area code are taken as this area's (Moscow). */
  localAreaCode: string
  /** The curated rows, with what each demonstrates. */
  demoRecords: CuratedPhone[]
  /** Every phone row of the base. */
  phones: PhoneTruthRow[]
  sharedNumbers: SharedNumber[]
  suffixCollisions: SuffixCollision[]
}

export interface DemoBase {
  base: BaseData
  expectations: DemoExpectations
  readme: string
}

const REGISTERED = '2021-03-15T10:00:00'

function addCurated (gen: Generation): CuratedPhone[] {
  const { builder, folders } = gen
  const manager = gen.managers[0] ?? EMPTY_REF
  const curated: CuratedPhone[] = []
  const addPhones = (owner: Owner, phones: readonly DemoPhone[]): void => {
    for (const p of phones) curated.push({ ...builder.addPhone(owner, p.spec, p.kind), shows: p.shows })
  }
  for (const demo of DEMO_PARTNERS) {
    const partner = builder.addPartner({
      description: demo.description,
      fullName: demo.fullName,
      kind: demo.kind,
      parentKey: folders[demo.folder],
      client: demo.folder !== 'suppliers',
      supplier: demo.folder === 'suppliers',
      managerKey: manager,
      registered: REGISTERED,
      sex: demo.sex ?? '',
      birthDate: EMPTY_DATE,
      comment: '',
      deletionMark: demo.deleted === true,
    })
    addPhones(partner, demo.phones)
    for (const email of demo.emails) builder.addEmail(partner, email, 'EmailПартнера')
    if (demo.address !== undefined) builder.addAddress(partner, demo.address, 'ФактАдресПартнера')
    for (const c of demo.counterparties) {
      const counterparty = builder.addCounterparty({
        description: c.description,
        fullName: demo.fullName,
        partnerKey: partner.partnerKey,
        legal: c.legal,
        inn: c.inn,
        kpp: demoKpp(c),
        headKey: EMPTY_REF,
        deletionMark: c.deleted === true,
      })
      addPhones(counterparty, c.phones)
      for (const email of c.emails) builder.addEmail(counterparty, email, 'EmailКонтрагента')
    }
    for (const c of demo.contacts) {
      const contact = builder.addContactPerson({
        ownerKey: partner.partnerKey,
        description: c.name,
        position: c.position,
        sex: c.sex,
        birthDate: EMPTY_DATE,
        authorKey: manager,
        registered: REGISTERED,
        ended: c.deleted === true ? '2024-09-30T18:00:00' : EMPTY_DATE,
        comment: c.deleted === true ? 'Уволился' : '',
        deletionMark: c.deleted === true,
      })
      addPhones(contact, c.phones)
      for (const email of c.emails) builder.addEmail(contact, email, 'EmailКонтактногоЛица')
    }
  }
  return curated
}

export function buildDemoBase (): DemoBase {
  const gen = generateInto({ partners: DEMO_GENERATED_PARTNERS, seed: DEMO_SEED, collectTruth: true })
  const curated = addCurated(gen)
  const { base, truth } = gen.builder.result()
  const expectations: DemoExpectations = {
    seed: DEMO_SEED,
    generatedPartners: DEMO_GENERATED_PARTNERS,
    localAreaCode: LOCAL_AREA_CODE,
    demoRecords: curated,
    phones: truth,
    sharedNumbers: sharedNumbers(truth),
    suffixCollisions: suffixCollisions(truth),
  }
  return { base, expectations, readme: demoReadme(base, expectations) }
}
