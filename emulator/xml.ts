/** XML text and attribute escaping; characters XML 1.0 cannot carry at all are dropped. */
export function escapeXml (text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

export const ATOM_NS = 'http://www.w3.org/2005/Atom'
export const DATA_NS = 'http://schemas.microsoft.com/ado/2007/08/dataservices'
export const METADATA_NS = 'http://schemas.microsoft.com/ado/2007/08/dataservices/metadata'
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
