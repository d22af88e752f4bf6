/**
 * A test-only interpreter of the 3CX CRM template subset the bridge uses, so tests can prove that the
 * generated template and the proxy's endpoints work together without a PBX:
 *
 *   const tpl = parseTemplate(buildTemplate({ publicUrl: proxyUrl }))
 *   const result = await runScenario(tpl, {
 *     scenarioId: '',                                  // the lookup by number
 *     variables: { Number: '+74951234567', CallDirection: 'Inbound' },
 *     parameters: { User: 'tcx', Password: 'secret' }, // what the 3CX administrator typed
 *   })
 *   result.records  // [{ ContactUrl, FirstName, ..., EntityId }]
 *
 * Dates are .NET DateTimes (their UTC fields are the clock 3CX would format), `DurationTimespan` is a
 * number of seconds, `null` is a variable 3CX has but leaves null. Anything outside the subset throws.
 */
export { parseTemplate, TemplateParseError } from './parse-template.js'
export { runScenario } from './run-scenario.js'
export type { RunOptions } from './run-scenario.js'
export { evaluateCondition, ExpressionError, parseCondition, parseTemplateText, renderTemplate } from './expression.js'
export type { Condition, EvalContext, Scope, TcxValue, TemplateExpr } from './expression.js'
export { TimeSpan } from './net-format.js'
export { splitPath, walk } from './json-path.js'
export type * from './types.js'
