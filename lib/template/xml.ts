/**
 * A minimal XML writer for the CRM template: elements, attributes in the order given, text content.
 * 3CX reads the template with .NET's XmlSerializer, so the output mimics what it writes itself
 * (two-space indent, `<Filter />` with a space before the slash).
 */
export interface XmlElement {
  readonly name: string
  readonly attributes?: ReadonlyArray<readonly [string, string]>
  readonly children?: readonly XmlElement[]
  /** Text content; an element has either text or children, never both. */
  readonly text?: string
}

export function escapeXmlText (value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function escapeXmlAttribute (value: string): string {
  // Tabs and line breaks are written as character references: a parser normalises literal ones
  // inside attribute values to spaces.
  return escapeXmlText(value)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
}

/** True when the string holds only characters XML 1.0 allows. */
export function isXmlSafe (value: string): boolean {
  // Lone surrogates cannot be written as UTF-8 either.
  return !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(value) && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)
}

function renderElement (element: XmlElement, depth: number, out: string[]): void {
  const indent = '  '.repeat(depth)
  const attributes = (element.attributes ?? []).map(([name, value]) => ` ${name}="${escapeXmlAttribute(value)}"`).join('')
  const children = element.children ?? []
  if (element.text !== undefined && element.text !== '') {
    out.push(`${indent}<${element.name}${attributes}>${escapeXmlText(element.text)}</${element.name}>`)
  } else if (children.length === 0) {
    out.push(`${indent}<${element.name}${attributes} />`)
  } else {
    out.push(`${indent}<${element.name}${attributes}>`)
    for (const child of children) renderElement(child, depth + 1, out)
    out.push(`${indent}</${element.name}>`)
  }
}

export function renderXmlDocument (root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>']
  renderElement(root, 0, out)
  return out.join('\n') + '\n'
}
