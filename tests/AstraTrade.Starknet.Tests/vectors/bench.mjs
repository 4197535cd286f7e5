// Micro-benchmark of starknet.js (the pinned version) on the same inputs as the C# BenchmarkDotNet project
// (tests/AstraTrade.Starknet.Benchmarks/CryptoBenchmarks.cs): per operation 1 s of warm-up, then 5 trials of about 1 s;
// the fastest and the median trial in µs per operation. scripts/starknet-bench.sh runs both halves.
//   node bench.mjs
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ec, hash } from 'starknet';

const x = 0x3d937c035c878245caf64531a5756109c53068da139362728feb561405371cbn;
const y = 0x208a0a10250e382e1e4bbe2880906c2791bf6275695e02fbbc6aeff9cd8b31an;
const d = 1234567890123456789012345678901234567890n;
const xHex = '0x' + x.toString(16);
const dHex = '0x' + d.toString(16);
const pub = ec.starkCurve.getPublicKey(dHex, false);
const sig = ec.starkCurve.sign(xHex, dHex);
const ten = Array.from({ length: 10 }, (_, i) => BigInt(i) * 7919n + 3n);
let ok = true;

function measure(name, fn) {
  const start = process.hrtime.bigint();
  let calls = 0;
  while (process.hrtime.bigint() - start < 1_000_000_000n) {
    fn();
    calls++;
  }
  const batch = Math.max(1, calls);
  const trials = [];
  for (let t = 0; t < 5; t++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    trials.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
  }
  trials.sort((a, b) => a - b);
  console.log(`${name.padEnd(24)} min ${trials[0].toFixed(1).padStart(10)} µs/op   median ${trials[2].toFixed(1).padStart(10)} µs/op   (${batch} ops/trial)`);
}

const version = JSON.parse(readFileSync(new URL('./node_modules/starknet/package.json', import.meta.url))).version;
console.log(`starknet.js ${version}, node ${process.version}, ${new Date().toISOString()}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
measure('pedersen(x, y)', () => ec.starkCurve.pedersen(x, y));
measure('poseidonHash(x, y)', () => ec.starkCurve.poseidonHash(x, y));
measure('poseidonHashMany(10)', () => ec.starkCurve.poseidonHashMany(ten));
measure('sign', () => ec.starkCurve.sign(xHex, dHex));
measure('verify (full key)', () => { ok &&= ec.starkCurve.verify(sig, xHex, pub); });
measure('getPublicKey', () => ec.starkCurve.getPublicKey(dHex, false));
measure('getSelectorFromName', () => hash.getSelectorFromName('transfer'));
console.log(`(all verified ${ok})`);
