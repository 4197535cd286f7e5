// Micro-benchmark of starknet.js (the pinned version) for comparison with the C# benchmark mode:
//   node bench.mjs
// Same inputs as the C# side (StarknetBenchmarks): fixed felts, a fixed private key.
import { ec, hash } from 'starknet';

const x = 0x3d937c035c878245caf64531a5756109c53068da139362728feb561405371cbn;
const y = 0x208a0a10250e382e1e4bbe2880906c2791bf6275695e02fbbc6aeff9cd8b31an;
const d = 1234567890123456789012345678901234567890n;
const xHex = '0x' + x.toString(16);
const dHex = '0x' + d.toString(16);
const pub = ec.starkCurve.getPublicKey(dHex, false);
const sig = ec.starkCurve.sign(xHex, dHex);
const ten = Array.from({ length: 10 }, (_, i) => BigInt(i) * 7919n + 3n);

function bench(name, fn) {
  const warm = Date.now();
  while (Date.now() - warm < 1000) fn();
  let n = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < 3_000_000_000n) {
    for (let i = 0; i < 10; i++) fn();
    n += 10;
    elapsed = process.hrtime.bigint() - t0;
  }
  const us = Number(elapsed) / 1000 / n;
  console.log(`${name.padEnd(24)} ${us.toFixed(1).padStart(10)} µs/op  (${n} ops)`);
}

console.log(`starknet.js ${JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(new URL('./node_modules/starknet/package.json', import.meta.url)))).version}, node ${process.version}`);
bench('pedersen(x, y)', () => ec.starkCurve.pedersen(x, y));
bench('poseidonHash(x, y)', () => ec.starkCurve.poseidonHash(x, y));
bench('poseidonHashMany(10)', () => ec.starkCurve.poseidonHashMany(ten));
bench('sign', () => ec.starkCurve.sign(xHex, dHex));
bench('verify (full key)', () => ec.starkCurve.verify(sig, xHex, pub));
bench('getPublicKey', () => ec.starkCurve.getPublicKey(dHex, false));
bench('getSelectorFromName', () => hash.getSelectorFromName('transfer'));
