// Extended order-hash vectors from Extended's own signer (@x10xchange/stark-crypto-wrapper-wasm, the Rust code its SDKs
// use, compiled to WebAssembly). Deterministic: a seeded generator picks the orders, so the output is a pure function of
// this file, package-lock.json and the seed. Usage: node generate.mjs <output.json> [seed] [count]
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { initSync, get_order_msg, sign_message } from '@x10xchange/stark-crypto-wrapper-wasm';

const [output, seed = 'astratrade-extended-vectors-v1', countText = '40'] = process.argv.slice(2);
if (!output) {
  console.error('usage: node generate.mjs <output.json> [seed] [count]');
  process.exit(2);
}

const wasm = readFileSync(new URL('./node_modules/@x10xchange/stark-crypto-wrapper-wasm/stark_crypto_wrapper_wasm_bg.wasm', import.meta.url));
initSync({ module: wasm });

// SHA-256 in counter mode: reproducible bytes for a seed, on any machine.
let counter = 0;
function bytes(n) {
  const out = [];
  while (out.length < n) {
    out.push(...createHash('sha256').update(`${seed}/${counter++}`).digest());
  }
  return Buffer.from(out.slice(0, n));
}
const big = (n) => BigInt('0x' + bytes(n).toString('hex'));
const below = (limit) => big(32) % limit;

// The curve order N of the STARK curve; private keys are drawn from [1, N).
const N = 0x0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2fn;
const I64 = 1n << 63n;
const domains = [
  ['Perpetuals', 'v0', 'SN_MAIN', '1'],
  ['Perpetuals', 'v0', 'SN_SEPOLIA', '1'],
];

const count = Number(countText);
const orders = [];
for (let i = 0; i < count; i++) {
  const privateKey = 1n + below(N - 1n);
  const buying = (bytes(1)[0] & 1) === 1;
  // Edge values first, random ones after: zero, one and the i64/u64/u32 bounds the contract's types allow.
  const magnitude = i === 0 ? 0n : i === 1 ? 1n : i === 2 ? I64 - 1n : below(I64);
  const quoteMagnitude = i === 2 ? I64 - 1n : below(I64);
  const order = {
    positionId: i === 2 ? 4294967295n : below(1n << 32n),
    baseAssetId: '0x' + below(1n << 248n).toString(16),
    baseAmount: buying ? magnitude : -magnitude,
    quoteAssetId: '0x' + below(1n << 248n).toString(16),
    quoteAmount: buying ? -quoteMagnitude : quoteMagnitude,
    feeAssetId: '0x' + below(1n << 248n).toString(16),
    feeAmount: i === 2 ? (1n << 64n) - 1n : below(1n << 64n),
    expiration: i === 2 ? (1n << 64n) - 1n : below(1n << 40n),
    // The wrapper reads the salt as an unsigned 64-bit number (larger ones panic inside it), as Extended's nonces are.
    salt: i === 2 ? (1n << 64n) - 1n : i === 3 ? 0n : below(1n << 64n),
    domain: domains[i % domains.length],
    privateKey: '0x' + privateKey.toString(16),
  };
  orders.push(order);
}

const out = [];
for (const o of orders) {
  // Any felt is a valid "user public key" input to the hash; the signature check below uses the real key.
  const userKey = '0x' + below(1n << 251n).toString(16);
  const hash = get_order_msg(
    o.positionId.toString(), o.baseAssetId, o.baseAmount.toString(), o.quoteAssetId, o.quoteAmount.toString(),
    o.feeAssetId, o.feeAmount.toString(), o.expiration.toString(), o.salt.toString(), userKey,
    ...o.domain);
  const signature = sign_message(o.privateKey, hash);
  out.push({
    positionId: o.positionId.toString(),
    baseAssetId: o.baseAssetId,
    baseAmount: o.baseAmount.toString(),
    quoteAssetId: o.quoteAssetId,
    quoteAmount: o.quoteAmount.toString(),
    feeAssetId: o.feeAssetId,
    feeAmount: o.feeAmount.toString(),
    expiration: o.expiration.toString(),
    salt: o.salt.toString(),
    userPublicKey: userKey,
    domain: { name: o.domain[0], version: o.domain[1], chainId: o.domain[2], revision: o.domain[3] },
    messageHash: hash,
    privateKey: o.privateKey,
    signature: { r: signature.r, s: signature.s },
  });
  signature.free();
}

const pkg = JSON.parse(readFileSync(new URL('./node_modules/@x10xchange/stark-crypto-wrapper-wasm/package.json', import.meta.url)));
writeFileSync(output, JSON.stringify({ generator: `${pkg.name}@${pkg.version}`, seed, orders: out }, null, 1));
