/**
 * @module
 * Browser bundle cost: what importing the verify function adds to a browser bundle, measured the way an
 * application bundler would produce it (esbuild, platform browser, ESM, minified, tree-shaken), then
 * gzipped at level 9. A peer that cannot be bundled for the browser is reported as a row, not a crash.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { formatKb, formatRatio, type Table } from './table';

/** Issue 2: the gzipped `verifyTotp` bundle must not exceed this. */
const TARGET_BYTES = 7000;

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Entry {
  readonly name: string;
  /** What the row's bundle imports, shown in the table. */
  readonly imports: string;
  /** The stdin module: imports and uses the export, so tree shaking keeps exactly what it needs. */
  readonly source: string;
  /** `target`: the ≤ 7 KB row; `full`: a peer with SHA-256/512 (the size reference); `info`: context only. */
  readonly role: 'target' | 'full' | 'info';
}

const ENTRIES: readonly Entry[] = [
  {
    name: 'secondfactor',
    imports: '{ verifyTotp } from @secondfactor/core',
    source: "import { verifyTotp } from '@secondfactor/core'; console.log(verifyTotp);",
    role: 'target',
  },
  {
    name: 'secondfactor (prepared + generate)',
    imports: '{ createTotp, totp, verifyTotp }',
    source:
      "import { createTotp, totp, verifyTotp } from '@secondfactor/core'; console.log(createTotp, totp, verifyTotp);",
    role: 'info',
  },
  {
    name: 'otplib 13',
    imports: '{ verifySync } from otplib',
    source: "import { verifySync } from 'otplib'; console.log(verifySync);",
    role: 'full',
  },
  {
    name: 'otpauth 9',
    imports: '{ TOTP } from otpauth',
    source: "import { TOTP } from 'otpauth'; console.log(TOTP);",
    role: 'full',
  },
  {
    name: '@oslojs/otp 1 (SHA-1 only)',
    imports: '{ verifyTOTPWithGracePeriod }',
    source:
      "import { verifyTOTPWithGracePeriod } from '@oslojs/otp'; console.log(verifyTOTPWithGracePeriod);",
    role: 'info',
  },
  {
    name: 'speakeasy 2',
    imports: 'speakeasy (totp.verify)',
    source: "import speakeasy from 'speakeasy'; console.log(speakeasy.totp.verify);",
    role: 'full',
  },
  {
    name: 'reference: noble HMAC + SHA-1',
    imports: '@noble/hashes hmac, sha1',
    source:
      "import { hmac } from '@noble/hashes/hmac.js'; import { sha1 } from '@noble/hashes/legacy.js'; console.log(hmac, sha1);",
    role: 'info',
  },
  {
    name: 'reference: noble HMAC + SHA-1/256/512',
    imports: '@noble/hashes hmac, sha1, sha256, sha512',
    source:
      "import { hmac } from '@noble/hashes/hmac.js'; import { sha1 } from '@noble/hashes/legacy.js'; " +
      "import { sha256, sha512 } from '@noble/hashes/sha2.js'; console.log(hmac, sha1, sha256, sha512);",
    role: 'info',
  },
];

type Size = { readonly minified: number; readonly gzipped: number } | { readonly error: string };

async function sizeOf(entry: Entry): Promise<Size> {
  try {
    const result = await build({
      stdin: { contents: entry.source, resolveDir: ROOT, loader: 'js', sourcefile: 'entry.js' },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      minify: true,
      treeShaking: true,
      // Licence banners are not code; dropping them treats every library alike.
      legalComments: 'none',
      logLevel: 'silent',
      // The root tsconfig maps @secondfactor/* to src for tests; a user's bundler sees the published dist.
      tsconfigRaw: {},
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
  } catch (error) {
    const text = (error as { errors?: { text: string }[] }).errors?.[0]?.text;
    return { error: text ?? (error instanceof Error ? error.message : String(error)) };
  }
}

/** Bundles each entry and returns the size table with the ≤ 7 KB verdict. */
export async function bundleBench(): Promise<Table> {
  const sizes = await Promise.all(ENTRIES.map(sizeOf));
  const fullPeers = ENTRIES.flatMap((e, i) => {
    const s = sizes[i]!;
    return e.role === 'full' && 'gzipped' in s ? [s.gzipped] : [];
  });
  const lightest = fullPeers.length > 0 ? Math.min(...fullPeers) : Number.NaN;
  const rows = ENTRIES.map((e, i) => {
    const s = sizes[i]!;
    if ('error' in s) return [e.name, e.imports, 'FAILED', 'FAILED', 'FAILED', '—'];
    return [
      e.name,
      e.imports,
      `${s.minified.toLocaleString('en-US')} B`,
      `${s.gzipped.toLocaleString('en-US')} B`,
      formatKb(s.gzipped),
      Number.isNaN(lightest) ? '—' : formatRatio(s.gzipped / lightest),
    ];
  });
  const target = sizes[ENTRIES.findIndex((e) => e.role === 'target')];
  const targetBytes = target && 'gzipped' in target ? target.gzipped : Number.NaN;
  const met = targetBytes <= TARGET_BYTES;
  const failures = ENTRIES.flatMap((e, i) => {
    const s = sizes[i]!;
    return 'error' in s ? [`${e.name} could not be bundled for the browser: ${s.error}`] : [];
  });
  return {
    title: 'Browser bundle: esbuild (platform browser, ESM, minify, tree shaking), gzip level 9',
    columns: ['library', 'imports', 'minified', 'gzipped', 'gzipped kB', 'vs lightest full-featured peer'],
    rows,
    notes: [
      `TARGET secondfactor verifyTotp ≤ ${formatKb(TARGET_BYTES)} gzipped: ${met ? 'MET' : 'NOT MET'} ` +
        `(${Number.isNaN(targetBytes) ? 'n/a' : `${formatKb(targetBytes)} = ${targetBytes.toLocaleString('en-US')} B`})`,
      'each bundle is `import { x } from "pkg"; console.log(x)` through esbuild stdin (resolved from the ' +
        'repository root; @secondfactor/core resolves to its built dist); licence comments dropped; 1 kB = 1000 B.',
      'full-featured peer = supports SHA-256/512 as well as SHA-1 (otplib, otpauth, speakeasy); the ratio ' +
        'column divides by the lightest of those that bundled.',
      ...failures,
    ],
    failed: !met,
  };
}
