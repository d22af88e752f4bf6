import type { FastifyInstance, FastifyReply } from 'fastify'
import { guidToRef, parseNavigationLink, refToGuid } from './navigation-link.js'
import type { EmulatorState } from './state.js'

/**
 * A tiny stand-in for the 1C web client at `<basePath>/` (and `<basePath>/ru_RU/`, onec-odata.md §9): it
 * reads `#e1cib/data/Справочник.Партнеры?ref=…` from the address, turns the ref into a GUID, fetches the
 * object over OData and shows its description and contact information, so the demo's card links open
 * something real. Any other address under the infobase path gets the same page, which is also the "HTML
 * that is not OData" a misconfigured ONEC_URL points at.
 */
export function webClientPage (odataRoot: string): string {
  const root = JSON.stringify(`${odataRoot}/`).replace(/</g, '\\u003c')
  return `<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>1С:Предприятие (эмулятор)</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #333 }
h1 { font-size: 1.2em; color: #a00 }
table { border-collapse: collapse; margin-top: 1em }
td, th { border: 1px solid #ccc; padding: 4px 8px; text-align: left }
</style>
</head>
<body>
<h1>1С:Предприятие (эмулятор)</h1>
<div id="card">Откройте ссылку вида #e1cib/data/Справочник.Партнеры?ref=&lt;32 шестнадцатеричных цифры&gt;</div>
<script>
const ODATA_ROOT = ${root};
${refToGuid.toString()}
${guidToRef.toString()}
${parseNavigationLink.toString()}
function cell (row, text) {
  const td = document.createElement('td');
  td.textContent = text === undefined || text === null ? '' : String(text);
  row.append(td);
}
async function show () {
  const card = document.getElementById('card');
  let hash = location.hash;
  try { hash = decodeURIComponent(hash); } catch (e) { /* keep it as it is */ }
  const link = parseNavigationLink(hash);
  if (link === null) return;
  card.textContent = 'Загрузка…';
  const url = ODATA_ROOT + encodeURIComponent(link.set) + "(guid'" + link.guid + "')?$format=json";
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    card.textContent = 'Объект ' + link.set + ' ' + link.guid + ' не открылся: HTTP ' + response.status;
    return;
  }
  const entity = await response.json();
  card.replaceChildren();
  const title = document.createElement('h2');
  title.textContent = entity.Description || entity.Number || link.guid;
  card.append(title);
  const about = document.createElement('p');
  about.textContent = link.set + ', Ref_Key ' + link.guid;
  card.append(about);
  const rows = Array.isArray(entity['КонтактнаяИнформация']) ? entity['КонтактнаяИнформация'] : [];
  if (rows.length === 0) return;
  const table = document.createElement('table');
  const head = document.createElement('tr');
  cell(head, 'Тип');
  cell(head, 'Представление');
  table.append(head);
  for (const info of rows) {
    const row = document.createElement('tr');
    cell(row, info['Тип']);
    cell(row, info['Представление']);
    table.append(row);
  }
  card.append(table);
}
window.addEventListener('hashchange', show);
show();
</script>
</body>
</html>
`
}

/** What a broken publication answers instead of OData: an HTML page with status 200 (onec-odata.md §5.3 [3P HCB]). */
export function brokenPublicationPage (): string {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>1С:Предприятие</title></head>
<body><h1>Ошибка при выполнении запроса</h1><p>Публикация информационной базы на веб-сервере недоступна.</p></body></html>
`
}

/** The web server's own 503 page (Apache's wording), when the 1C server behind it does not answer. */
export function serviceUnavailablePage (): string {
  return `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>503 Service Unavailable</title>
</head><body>
<h1>Service Unavailable</h1>
<p>The server is temporarily unable to service your
request due to maintenance downtime or capacity
problems. Please try again later.</p>
</body></html>
`
}

export async function registerWebClient (app: FastifyInstance, state: EmulatorState): Promise<void> {
  const page = webClientPage(state.odataRoot)
  const send = async (_request: unknown, reply: FastifyReply): Promise<void> => {
    await reply.type('text/html;charset=utf-8').send(page)
  }
  if (state.basePath !== '') app.all(state.basePath, send)
  app.all(`${state.basePath}/*`, send)
}
