import type { Stack } from './stack.js'

/** What the call-journal tests share: the register, a partner of the demo base, and a report as 3CX sends it. */
export const REGISTER = 'InformationRegister_ЖурналЗвонков3CX'
/** ООО «Ромашка», +74951234567 in the demo base. */
export const ROMASHKA = '39ec7ad5-91b9-1d73-85d9-b15e1f7c21ea'

/** A ReportCall body as the template sends it (docs/3cx-api.md), with fields replaced or removed by `over`. */
export function report (over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    callType: 'Inbound',
    direction: 'Inbound',
    number: '+74951234567',
    agent: '101',
    agentName: 'Иван Петров',
    agentEmail: 'petrov@example.ru',
    start: '2026-12-01T06:15:02Z',
    answered: '2026-12-01T06:15:09Z',
    end: '2026-12-01T06:17:45Z',
    duration: '156',
    queue: '800',
    contactId: ROMASHKA,
    contactType: 'Partner',
    name: 'ООО «Ромашка»',
    ...over,
  }
}

export const rows = (stack: Stack): Array<Record<string, unknown>> => stack.emulator.controls.entities(REGISTER)
export const pending = (stack: Stack): number => stack.app.journal.outbox?.stats().pending ?? -1
