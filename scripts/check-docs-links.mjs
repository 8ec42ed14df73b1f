// Checks the built documentation site (docs/site, written by typedoc): every relative link and source
// of every page, and every page of the sidebar, must name a file of the site, and a link's #fragment
// an id in that file. Exits non-zero on any broken one. Run by `npm run docs` after typedoc.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { inflateSync } from 'node:zlib';

const site = resolve(process.argv[2] ?? new URL('../docs/site', import.meta.url).pathname);
if (!existsSync(join(site, 'index.html'))) {
  console.error(`check-docs-links: no site at ${site} (run typedoc first)`);
  process.exit(1);
}

/** Every file below `dir`. */
function filesBelow(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesBelow(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const idCache = new Map();
/** The ids (and names) a file declares, for #fragments. */
function idsOf(file) {
  if (!idCache.has(file)) {
    const text = readFileSync(file, 'utf8');
    idCache.set(file, new Set([...text.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((match) => match[1])));
  }
  return idCache.get(file);
}

/** Why `link`, found in `from`, is broken; `null` when it resolves. */
function problemOf(from, link) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//')) return null; // another site, mail, data
  const [pathAndQuery, fragment = ''] = link.split('#', 2);
  const path = decodeURIComponent(pathAndQuery.split('?')[0]);
  let target = path === '' ? from : resolve(dirname(from), path);
  if (target !== site && !target.startsWith(site + sep)) return 'points outside the site';
  if (existsSync(target) && statSync(target).isDirectory()) target = join(target, 'index.html');
  if (!existsSync(target)) return 'no such file';
  if (fragment !== '' && !idsOf(target).has(decodeURIComponent(fragment))) return `no id "${fragment}" there`;
  return null;
}

const broken = [];
let checked = 0;
const pages = filesBelow(site).filter((file) => file.endsWith('.html'));
for (const page of pages) {
  const html = readFileSync(page, 'utf8');
  for (const [, link] of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    if (link === '' || link === '#') continue;
    checked += 1;
    const problem = problemOf(page, link.replaceAll('&amp;', '&'));
    if (problem !== null) broken.push(`${relative(site, page)}: ${link}: ${problem}`);
  }
}

// The sidebar is data (assets/navigation.js: base64 of deflated JSON), resolved against the site root.
const navigation = readFileSync(join(site, 'assets', 'navigation.js'), 'utf8');
const encoded = /"([A-Za-z0-9+/=]+)"/.exec(navigation)?.[1];
const walk = (nodes) => nodes.flatMap((node) => [node.path, ...walk(node.children ?? [])].filter(Boolean));
const navigationPaths = walk(JSON.parse(inflateSync(Buffer.from(encoded ?? '', 'base64')).toString('utf8')));
for (const path of navigationPaths) {
  checked += 1;
  const problem = problemOf(join(site, 'index.html'), path);
  if (problem !== null) broken.push(`sidebar: ${path}: ${problem}`);
}

if (broken.length > 0) {
  console.error(`check-docs-links: ${broken.length} broken of ${checked} links in ${pages.length} pages`);
  for (const line of broken) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check-docs-links: ${checked} links in ${pages.length} pages, none broken`);
