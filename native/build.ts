/**
 * Builds native/zscore.node, the Node-API Z-Score, with `napi build --release`.
 * Run by `bun install` (postinstall) and `bun run build:native`.
 *
 * Without a Rust toolchain (or without the dev dependency @napi-rs/cli, as in a production
 * install) it prints one line and exits 0: the install succeeds and the TypeScript
 * implementation is used. A failing compile with Rust present is a real error and fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const crateDir = import.meta.dir;

function skip(reason: string): never {
  console.log(`native z-score: ${reason}; skipping the native build (the TypeScript implementation will be used)`);
  process.exit(0);
}

if (spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status !== 0) skip('cargo not found');

let napiCli: string;
try {
  // The package exports only its API and package.json; the CLI entry is its `bin`.
  const manifest = createRequire(join(crateDir, '..', 'package.json')).resolve('@napi-rs/cli/package.json');
  napiCli = join(dirname(manifest), (await Bun.file(manifest).json()).bin.napi);
} catch {
  skip('@napi-rs/cli is not installed');
}

// The CLI's shebang asks for `node`; running it with this Bun works where Node is absent.
const build = spawnSync(process.execPath, [napiCli, 'build', '--release'], { cwd: crateDir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
// The CLI warns on every build that napi-derive's `type-def` feature is off. It is off on purpose
// (no generated .d.ts or JS glue, see Cargo.toml), so that one line is dropped; the rest is passed on.
const expected = /`napi-derive` crate is not used or `type-def` feature is not enabled/;
for (const [stream, text] of [[process.stdout, build.stdout], [process.stderr, build.stderr]] as const) {
  const kept = (text ?? '').split('\n').filter((line) => !expected.test(line));
  if (kept.join('').trim() !== '') stream.write(kept.join('\n'));
}
if (build.status !== 0 || !existsSync(join(crateDir, 'zscore.node'))) {
  console.error('native z-score: the build failed (output above). Fix the Rust toolchain (`rustup update`), or run with QS_ZSCORE=ts.');
  process.exit(build.status || 1);
}
