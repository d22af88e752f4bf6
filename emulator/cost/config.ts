import { COST_MODEL_KEYS, DEFAULT_COST_MODEL, type CostModel } from './constants.js'

/** How the cost model is asked for: off (false/undefined), on with the defaults (true), or on with some constants changed. */
export type CostModelInput = Partial<CostModel> | boolean | undefined

/** The model to charge with, or undefined when it is off. A bad constant is an error that names it. */
export function resolveCostModel (input: CostModelInput): CostModel | undefined {
  if (input === undefined || input === false) return undefined
  if (input === true) return { ...DEFAULT_COST_MODEL }
  if (typeof input !== 'object' || input === null) throw new Error('emulator option costModel: true, false or an object of cost constants')
  const known = new Set<string>(COST_MODEL_KEYS)
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw new Error(`emulator option costModel.${key}: not a cost constant (known: ${COST_MODEL_KEYS.join(', ')})`)
  }
  const model: CostModel = { ...DEFAULT_COST_MODEL }
  for (const key of COST_MODEL_KEYS) {
    const value = input[key]
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`emulator option costModel.${key}: a number >= 0, got ${String(value)}`)
    }
    model[key] = value
  }
  return model
}
