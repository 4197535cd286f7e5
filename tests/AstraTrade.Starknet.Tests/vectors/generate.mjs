// Generates Starknet crypto test vectors with starknet.js (the npm package `starknet`, pinned in package-lock.json).
//
//   node generate.mjs <output.json> [seed] [scale]
//
// Inputs come from a deterministic generator (SHA-256 in counter mode over the seed), so the same seed always gives the
// same vectors. `scale` multiplies the number of vectors per primitive (default 1). Every number is written as a string
// (hex with 0x, like starknet.js's toHex) so that nothing loses precision in JSON. The C# tests
// (StarknetJsVectorTests) recompute every vector and require an exact match.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { ec, hash, typedData, num, shortString } from 'starknet';

const outputPath = process.argv[2];
if (!outputPath) {
  console.error('usage: node generate.mjs <output.json> [seed] [scale]');
  process.exit(2);
}
const seed = process.argv[3] ?? 'astratrade-starknet-vectors-v1';
const scale = Number(process.argv[4] ?? '1');

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------------------------
let counter = 0n;
let pool = Buffer.alloc(0);
function bytes(n) {
  while (pool.length < n) {
    const block = createHash('sha256').update(seed).update(counter.toString()).digest();
    counter += 1n;
    pool = Buffer.concat([pool, block]);
  }
  const out = pool.subarray(0, n);
  pool = pool.subarray(n);
  return Buffer.from(out);
}
const bigFromBytes = (b) => (b.length === 0 ? 0n : BigInt('0x' + b.toString('hex')));
function randBits(bits) {
  const n = Math.ceil(bits / 8);
  const v = bigFromBytes(bytes(n));
  return v & ((1n << BigInt(bits)) - 1n);
}
function randBelow(limit) {
  const bits = limit.toString(2).length;
  for (;;) {
    const v = randBits(bits);
    if (v < limit) return v;
  }
}
const randInt = (lo, hi) => lo + Number(randBelow(BigInt(hi - lo + 1))); // inclusive
const pick = (arr) => arr[randInt(0, arr.length - 1)];
const hex = (v) => num.toHex(v);

const P = 2n ** 251n + 17n * 2n ** 192n + 1n;
const N = BigInt('0x0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2f');
const MAX251 = 2n ** 251n;

const feltEdges = [0n, 1n, 2n, P - 1n, P - 2n, MAX251 - 1n, MAX251, 2n ** 248n - 1n, 2n ** 248n, 2n ** 250n, 2n ** 128n,
  2n ** 64n - 1n, 2n ** 64n, 0xffn, 0x100n, P >> 1n, 2n ** 192n];
// A field element: edge values, small values, values below 2^251 with leading zero bytes, or uniform in [0, P).
function randFelt() {
  const r = randInt(0, 99);
  if (r < 8) return pick(feltEdges);
  if (r < 20) return randBits(randInt(1, 64));
  if (r < 30) return randBits(randInt(65, 250));
  return randBelow(P);
}
function randHash251() {
  const r = randInt(0, 99);
  if (r < 5) return pick([0n, 1n, MAX251 - 1n, 2n ** 250n, 2n ** 248n - 1n]);
  if (r < 15) return randBits(randInt(1, 64));
  if (r < 30) return randBits(randInt(65, 250));
  return randBelow(MAX251);
}
function randPrivateKey() {
  const r = randInt(0, 99);
  if (r < 5) return pick([1n, 2n, N - 1n, N - 2n, 2n ** 251n, 2n ** 128n]);
  if (r < 15) return 1n + randBits(randInt(1, 64));
  return 1n + randBelow(N - 1n);
}
const ASCII = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';
function randAscii(len) {
  let s = '';
  for (let i = 0; i < len; i++) s += ASCII[randInt(0, ASCII.length - 1)];
  return s;
}
const UNICODE = ['é', 'ß', 'Ж', '中', '文', '€', '😀', '🚀', '∑', 'ñ', 'ü', '\u00a0', '\t', '\n'];
function randText(len) {
  let s = '';
  for (let i = 0; i < len; i++) s += randInt(0, 9) < 8 ? ASCII[randInt(0, ASCII.length - 1)] : pick(UNICODE);
  return s;
}
const IDENT = 'abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function randIdent() {
  const len = randInt(1, 40);
  let s = IDENT[randInt(0, 52)];
  for (let i = 1; i < len; i++) s += IDENT[randInt(0, IDENT.length - 1)];
  return s;
}
const count = (n) => Math.max(1, Math.round(n * scale));
const timings = {};
function section(name, fn) {
  const t0 = process.hrtime.bigint();
  const out = fn();
  timings[name] = Number(process.hrtime.bigint() - t0) / 1e6;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------------------------------
const out = { generator: 'starknet.js', seed, scale };
out.starknetVersion = JSON.parse(readFileSync(new URL('./node_modules/starknet/package.json', import.meta.url))).version;

out.pedersen = section('pedersen', () =>
  Array.from({ length: count(400) }, () => {
    const a = randFelt();
    const b = randFelt();
    return { a: hex(a), b: hex(b), hash: hash.computePedersenHash(hex(a), hex(b)) };
  }),
);

out.poseidon = section('poseidon', () =>
  Array.from({ length: count(400) }, () => {
    const a = randFelt();
    const b = randFelt();
    return { a: hex(a), b: hex(b), hash: hash.computePoseidonHash(a, b) };
  }),
);

out.poseidonSingle = section('poseidonSingle', () =>
  Array.from({ length: count(100) }, () => {
    const a = randFelt();
    return { a: hex(a), hash: hex(ec.starkCurve.poseidonHashSingle(a)) };
  }),
);

out.poseidonMany = section('poseidonMany', () =>
  Array.from({ length: count(400) }, (_, i) => {
    const len = i < 12 ? i : randInt(0, 24);
    const values = Array.from({ length: len }, randFelt);
    return { values: values.map(hex), hash: hash.computePoseidonHashOnElements(values) };
  }),
);

out.pedersenOnElements = section('pedersenOnElements', () =>
  Array.from({ length: count(250) }, (_, i) => {
    const len = i < 6 ? i : randInt(0, 12);
    const values = Array.from({ length: len }, randFelt);
    return { values: values.map(hex), hash: hex(hash.computeHashOnElements(values.map(hex))) };
  }),
);

out.publicKeys = section('publicKeys', () =>
  Array.from({ length: count(400) }, () => {
    const d = randPrivateKey();
    const full = ec.starkCurve.getPublicKey(hex(d), false);
    return {
      privateKey: hex(d),
      publicKey: '0x' + Buffer.from(full).toString('hex'),
      starkKey: ec.starkCurve.getStarkKey(hex(d)),
    };
  }),
);

out.signatures = section('signatures', () =>
  Array.from({ length: count(400) }, () => {
    const d = randPrivateKey();
    const m = randHash251();
    const sig = ec.starkCurve.sign(hex(m), hex(d));
    return { privateKey: hex(d), messageHash: hex(m), r: hex(sig.r), s: hex(sig.s) };
  }),
);

out.verifications = section('verifications', () =>
  Array.from({ length: count(400) }, () => {
    const d = randPrivateKey();
    const m = randHash251();
    const sig = ec.starkCurve.sign(hex(m), hex(d));
    let r = sig.r;
    let s = sig.s;
    let msg = m;
    let pub = '0x' + Buffer.from(ec.starkCurve.getPublicKey(hex(d), false)).toString('hex');
    const kind = pick(['valid', 'valid', 'r', 's', 'message', 'key', 'swap', 'rZero', 'sZero', 'rBig', 'sN', 'negS']);
    switch (kind) {
      case 'r': r = (r + 1n + randBelow(1000n)) % MAX251; break;
      case 's': s = (s + 1n + randBelow(1000n)) % N; break;
      case 'message': msg = (m ^ (1n << BigInt(randInt(0, 250)))) % MAX251; break;
      case 'key': pub = '0x' + Buffer.from(ec.starkCurve.getPublicKey(hex(randPrivateKey()), false)).toString('hex'); break;
      case 'swap': [r, s] = [s < MAX251 ? s : r, r]; break;
      case 'rZero': r = 0n; break;
      case 'sZero': s = 0n; break;
      case 'rBig': r = MAX251 + randBelow(1000n); break;
      case 'sN': s = N; break;
      case 'negS': s = N - s; break; // the other valid-looking s (no low-s rule): invalid
      default: break;
    }
    let result;
    try {
      result = ec.starkCurve.verify(new ec.starkCurve.Signature(r, s), hex(msg), pub) ? 'valid' : 'invalid';
    } catch (e) {
      result = 'throws';
    }
    return { kind, messageHash: hex(msg), r: hex(r), s: hex(s), publicKey: pub, result };
  }),
);

out.keccak = section('keccak', () =>
  Array.from({ length: count(400) }, (_, i) => {
    const special = [0, 1, 31, 32, 55, 56, 63, 64, 127, 128, 135, 136, 137, 200, 271, 272, 273, 1000];
    const text = i < special.length ? randAscii(special[i]) : i % 3 === 0 ? randText(randInt(0, 300)) : randAscii(randInt(0, 300));
    return { text, hash: hex(hash.starknetKeccak(text)) };
  }),
);

out.selectors = section('selectors', () => {
  const fixed = ['transfer', 'transferFrom', 'balanceOf', 'approve', '__execute__', '__validate__', '__validate_declare__',
    '__validate_deploy__', 'constructor', 'initialize', 'is_valid_signature', 'isValidSignature', 'get_nonce', 'multicall'];
  return [...fixed, ...Array.from({ length: count(300) }, randIdent)].map((name) => ({
    name,
    selector: hash.getSelectorFromName(name),
  }));
});

out.contractAddresses = section('contractAddresses', () =>
  Array.from({ length: count(250) }, () => {
    const salt = randFelt();
    const classHash = randFelt();
    const deployer = randInt(0, 3) === 0 ? 0n : randFelt();
    const calldata = Array.from({ length: randInt(0, 8) }, randFelt);
    return {
      salt: hex(salt),
      classHash: hex(classHash),
      calldata: calldata.map(hex),
      deployer: hex(deployer),
      address: hash.calculateContractAddressFromHash(hex(salt), hex(classHash), calldata.map(hex), hex(deployer)),
    };
  }),
);

const U64 = 2n ** 64n;
const U128 = 2n ** 128n;
function randBound() {
  const r = randInt(0, 9);
  if (r === 0) return { max_amount: 0n, max_price_per_unit: 0n };
  if (r === 1) return { max_amount: U64 - 1n, max_price_per_unit: U128 - 1n };
  return { max_amount: randBelow(U64), max_price_per_unit: randBits(randInt(1, 128)) };
}
out.invokeV3 = section('invokeV3', () =>
  Array.from({ length: count(300) }, () => {
    const tx = {
      senderAddress: hex(randFelt()),
      version: pick(['0x3', '0x3', '0x3', '0x100000000000000000000000000000003']),
      compiledCalldata: Array.from({ length: randInt(0, 16) }, () => hex(randFelt())),
      chainId: pick([shortString.encodeShortString('SN_MAIN'), shortString.encodeShortString('SN_SEPOLIA'), hex(randFelt())]),
      nonce: hex(randInt(0, 2) === 0 ? randBits(16) : randFelt()),
      accountDeploymentData: randInt(0, 3) === 0 ? Array.from({ length: randInt(1, 4) }, () => hex(randFelt())) : [],
      nonceDataAvailabilityMode: randInt(0, 3) === 0 ? 1 : 0,
      feeDataAvailabilityMode: randInt(0, 3) === 0 ? 1 : 0,
      resourceBounds: { l1_gas: randBound(), l2_gas: randBound(), l1_data_gas: randBound() },
      tip: randInt(0, 2) === 0 ? 0n : randBelow(U64),
      paymasterData: randInt(0, 3) === 0 ? Array.from({ length: randInt(1, 4) }, () => hex(randFelt())) : [],
      proofFacts: randInt(0, 7) === 0 ? Array.from({ length: randInt(1, 3) }, () => hex(randFelt())) : undefined,
    };
    const txHash = hash.calculateInvokeTransactionHash(tx);
    const rb = (b) => ({ maxAmount: hex(b.max_amount), maxPricePerUnit: hex(b.max_price_per_unit) });
    return {
      senderAddress: tx.senderAddress,
      version: tx.version,
      calldata: tx.compiledCalldata,
      chainId: tx.chainId,
      nonce: tx.nonce,
      accountDeploymentData: tx.accountDeploymentData,
      nonceDataAvailabilityMode: tx.nonceDataAvailabilityMode,
      feeDataAvailabilityMode: tx.feeDataAvailabilityMode,
      resourceBounds: { l1Gas: rb(tx.resourceBounds.l1_gas), l2Gas: rb(tx.resourceBounds.l2_gas), l1DataGas: rb(tx.resourceBounds.l1_data_gas) },
      tip: hex(tx.tip),
      paymasterData: tx.paymasterData,
      proofFacts: tx.proofFacts ?? [],
      hash: txHash,
    };
  }),
);

// ---------------------------------------------------------------------------------------------------------------
// SNIP-12 revision 1 typed data
// ---------------------------------------------------------------------------------------------------------------
const DOMAIN_TYPE = [
  { name: 'name', type: 'shortstring' },
  { name: 'version', type: 'shortstring' },
  { name: 'chainId', type: 'shortstring' },
  { name: 'revision', type: 'shortstring' },
];
function randDomain() {
  return {
    name: pick(['AstraTrade', 'Dappland', 'Extended', randAscii(randInt(1, 31)).replace(/\d/g, 'x')]),
    version: pick(['1', '1.0.0', '2', hex(randBits(16))]),
    chainId: pick(['SN_MAIN', 'SN_SEPOLIA', shortString.encodeShortString('SN_MAIN')]),
    revision: pick(['1', 1]),
  };
}
// A value for a basic type, written in one of the forms starknet.js accepts.
function randValue(type) {
  switch (type) {
    case 'felt': {
      const r = randInt(0, 5);
      if (r === 0) return randInt(0, 1000000);
      if (r === 1) return randBelow(P).toString(10);
      if (r === 2) return 'hello ' + randIdent().slice(0, 20);
      return hex(randFelt());
    }
    case 'shortstring': return pick([randIdent().slice(0, 31), randAscii(randInt(1, 31)).replace(/^[\d\s]+/, 'a'), hex(randBits(120))]);
    case 'u128': case 'timestamp': return pick([randInt(0, 2 ** 31), hex(randBits(randInt(1, 128))), randBits(128).toString(10)]);
    case 'i128': {
      const v = randBelow(2n ** 128n) - 2n ** 127n;
      return pick([v.toString(10), randInt(-1000000, 1000000), (-(2n ** 127n)).toString(10), (2n ** 127n - 1n).toString(10)]);
    }
    case 'bool': return randInt(0, 1) === 1;
    case 'ContractAddress': case 'ClassHash': return hex(randFelt());
    case 'selector': return pick(['transfer', 'approve', randIdent(), hash.getSelectorFromName(randIdent())]);
    case 'string': {
      const len = pick([0, 1, 5, 30, 31, 32, 61, 62, 63, 93, 100, randInt(0, 200)]);
      return randAscii(len);
    }
    case 'u256': return { low: hex(randBits(128)), high: hex(randBits(randInt(1, 128))) };
    case 'TokenAmount': return { token_address: hex(randFelt()), amount: randValue('u256') };
    case 'NftId': return { collection_address: hex(randFelt()), token_id: randValue('u256') };
    default: throw new Error('no generator for ' + type);
  }
}
const BASIC = ['felt', 'shortstring', 'u128', 'timestamp', 'i128', 'bool', 'ContractAddress', 'ClassHash', 'selector', 'string', 'u256',
  'TokenAmount', 'NftId'];

// Builds a random type tree: structs (some nested), arrays, enums, merkle trees.
function randTypedData() {
  const types = { StarknetDomain: DOMAIN_TYPE };
  let typeCounter = 0;
  const newName = (prefix) => `${prefix}${String.fromCharCode(65 + randInt(0, 25))}${typeCounter++}`;
  const values = {};

  function makeStruct(depth) {
    const name = newName(pick(['Order', 'Position', 'Challenge', 'Mail', 'Person', 'Leg', 'Quote', 'Z', 'a']));
    const members = [];
    const gens = [];
    const n = randInt(1, depth === 0 ? 6 : 4);
    for (let i = 0; i < n; i++) {
      const field = `${pick(['id', 'from', 'to', 'amount', 'note', 'side', 'when', 'data', 'Kind', 'x y'])}${i}`;
      const r = randInt(0, 19);
      if (r < 9 || depth >= 2) {
        const t = pick(BASIC);
        members.push({ name: field, type: t });
        gens.push(() => randValue(t));
      } else if (r < 11) {
        const t = pick(BASIC);
        members.push({ name: field, type: `${t}*` });
        gens.push(() => Array.from({ length: randInt(0, 4) }, () => randValue(t)));
      } else if (r < 14) {
        const sub = makeStruct(depth + 1);
        members.push({ name: field, type: sub.name });
        gens.push(sub.gen);
      } else if (r < 16) {
        const sub = makeStruct(depth + 1);
        members.push({ name: field, type: `${sub.name}*` });
        gens.push(() => Array.from({ length: randInt(0, 3) }, sub.gen));
      } else if (r < 18) {
        const en = makeEnum(depth + 1);
        members.push({ name: field, type: 'enum', contains: en.name });
        gens.push(en.gen);
      } else {
        const leafIsStruct = randInt(0, 1) === 1;
        const leaf = leafIsStruct ? makeStruct(depth + 1) : { name: pick(['felt', 'ContractAddress', 'u128']) };
        members.push({ name: field, type: 'merkletree', contains: leaf.name });
        gens.push(() =>
          Array.from({ length: randInt(1, 9) }, () => (leafIsStruct ? leaf.gen() : randValue(leaf.name))),
        );
      }
    }
    types[name] = members;
    const gen = () => Object.fromEntries(members.map((m, i) => [m.name, gens[i]()]));
    return { name, gen };
  }

  function makeEnum(depth) {
    const name = newName('Enum');
    const variants = [];
    const gens = [];
    const n = randInt(1, 4);
    for (let i = 0; i < n; i++) {
      const parts = [];
      const partGens = [];
      const arity = randInt(0, 3);
      for (let j = 0; j < arity; j++) {
        const r = randInt(0, 9);
        if (r < 6 || depth >= 2) {
          const t = pick(BASIC.filter((b) => b !== 'u256' && b !== 'TokenAmount' && b !== 'NftId'));
          parts.push(t);
          partGens.push(() => randValue(t));
        } else if (r < 8) {
          const t = pick(['felt', 'u128', 'string']);
          parts.push(`${t}*`);
          partGens.push(() => Array.from({ length: randInt(0, 3) }, () => randValue(t)));
        } else {
          const sub = makeStruct(depth + 1);
          parts.push(randInt(0, 1) ? sub.name : `${sub.name}*`);
          const isArray = parts[parts.length - 1].endsWith('*');
          partGens.push(() => (isArray ? Array.from({ length: randInt(0, 2) }, sub.gen) : sub.gen()));
        }
      }
      variants.push({ name: pick(['Buy', 'Sell', 'None', 'Some', 'Limit', 'Market']) + i, type: `(${parts.join(',')})` });
      gens.push(() => partGens.map((g) => g()));
    }
    types[name] = variants;
    const gen = () => {
      const k = randInt(0, variants.length - 1);
      return { [variants[k].name]: gens[k]() };
    };
    return { name, gen };
  }

  const primary = makeStruct(0);
  return { types, primaryType: primary.name, domain: randDomain(), message: primary.gen() };
}

// A few hand-written documents in the shape the backend builds (login challenge, order intent).
const fixedDocuments = [
  {
    types: {
      StarknetDomain: DOMAIN_TYPE,
      Challenge: [
        { name: 'account', type: 'ContractAddress' },
        { name: 'nonce', type: 'felt' },
        { name: 'issuedAt', type: 'timestamp' },
        { name: 'statement', type: 'string' },
      ],
    },
    primaryType: 'Challenge',
    domain: { name: 'AstraTrade', version: '1', chainId: 'SN_MAIN', revision: '1' },
    message: {
      account: '0x49d36570d4e46f48e99674bd3fcc84644ddd6b96f7c741b1562b82f9e004dc7',
      nonce: '0x5f3c2a1b',
      issuedAt: 1767225600,
      statement: 'Sign in to AstraTrade. This request will not trigger a blockchain transaction or cost any gas fees.',
    },
  },
  {
    types: {
      StarknetDomain: DOMAIN_TYPE,
      Example: [
        { name: 'n0', type: 'felt' },
        { name: 'n1', type: 'bool' },
        { name: 'n2', type: 'string' },
        { name: 'n3', type: 'selector' },
        { name: 'n4', type: 'u128' },
        { name: 'n5', type: 'i128' },
        { name: 'n6', type: 'ContractAddress' },
        { name: 'n7', type: 'ClassHash' },
        { name: 'n8', type: 'timestamp' },
        { name: 'n9', type: 'shortstring' },
      ],
    },
    primaryType: 'Example',
    domain: { name: 'StarkNet Mail', version: '1', chainId: '1', revision: '1' },
    message: {
      n0: '0x3e8', n1: true, n2: 'A short string', n3: 'transfer', n4: '0x3e8', n5: '-170141183460469231731687303715884105727',
      n6: '0x3e8', n7: '0x3e8', n8: 1000, n9: 'transfer',
    },
  },
  {
    types: {
      StarknetDomain: DOMAIN_TYPE,
      Example: [
        { name: 'someEnum1', type: 'enum', contains: 'EnumA' },
        { name: 'someEnum2', type: 'enum', contains: 'EnumB' },
      ],
      EnumA: [
        { name: 'Variant 1', type: '()' },
        { name: 'Variant 2', type: '(u128,u128*)' },
        { name: 'Variant 3', type: '(u128)' },
      ],
      EnumB: [
        { name: 'Variant 1', type: '()' },
        { name: 'Variant 2', type: '(u128)' },
      ],
    },
    primaryType: 'Example',
    domain: { name: 'StarkNet Mail', version: '1', chainId: '1', revision: '1' },
    message: { someEnum1: { 'Variant 2': [2, [0, 1]] }, someEnum2: { 'Variant 1': [] } },
  },
  {
    types: {
      StarknetDomain: DOMAIN_TYPE,
      Example: [
        { name: 'n0', type: 'TokenAmount' },
        { name: 'n1', type: 'NftId' },
        { name: 'n2', type: 'u256' },
      ],
    },
    primaryType: 'Example',
    domain: { name: 'StarkNet Mail', version: '1', chainId: '1', revision: '1' },
    message: {
      n0: { token_address: '0x0123', amount: { low: '0x1', high: '0x0' } },
      n1: { collection_address: '0x0123', token_id: { low: '0x1', high: '0x0' } },
      n2: { low: '0x3e8', high: '0x0' },
    },
  },
  {
    types: {
      StarknetDomain: DOMAIN_TYPE,
      Session: [
        { name: 'Expires At', type: 'timestamp' },
        { name: 'Allowed Methods', type: 'merkletree', contains: 'Allowed Method' },
        { name: 'Metadata', type: 'string' },
        { name: 'Session Key', type: 'felt' },
      ],
      'Allowed Method': [
        { name: 'Contract Address', type: 'ContractAddress' },
        { name: 'selector', type: 'selector' },
      ],
    },
    primaryType: 'Session',
    domain: { name: 'SessionAccount.session', version: '0x31', chainId: 'SN_SEPOLIA', revision: '1' },
    message: {
      'Expires At': '0x64',
      'Allowed Methods': [
        { 'Contract Address': '0x1', selector: 'transfer' },
        { 'Contract Address': '0x2', selector: 'approve' },
        { 'Contract Address': '0x3', selector: 'increase_allowance' },
      ],
      Metadata: '{ "projectID": "123456", "maxFee": 1000000000000, "feeToken": "STRK", "tokenLimits" : { "0x4718f5a0fc34cc1af16a1cdee98ffb20c31f5cd61d6ab07201858f4287c938d": 1000000000000000000000 } }',
      'Session Key': '0x5',
    },
  },
];

out.typedData = section('typedData', () => {
  const docs = [...fixedDocuments];
  const target = count(300);
  let attempts = 0;
  while (docs.length < target && attempts < target * 20) {
    attempts++;
    docs.push(randTypedData());
  }
  return docs.map((doc) => {
    const account = hex(randFelt());
    const json = JSON.stringify(doc);
    const parsed = JSON.parse(json); // what the C# side reads
    return {
      json,
      account,
      encodedType: typedData.encodeType(parsed.types, parsed.primaryType, '1'),
      typeHash: hex(typedData.getTypeHash(parsed.types, parsed.primaryType, '1')),
      structHash: hex(typedData.getStructHash(parsed.types, parsed.primaryType, parsed.message, '1')),
      hash: typedData.getMessageHash(parsed, account),
    };
  });
});

// Documents that starknet.js rejects: the C# side must reject them too.
out.typedDataRejected = section('typedDataRejected', () => {
  const base = () => JSON.parse(JSON.stringify(fixedDocuments[1]));
  const cases = [];
  const mutate = (why, f) => {
    const doc = base();
    f(doc);
    let threw = false;
    try {
      typedData.getMessageHash(doc, '0x1');
    } catch {
      threw = true;
    }
    cases.push({ why, json: JSON.stringify(doc), starknetJsThrows: threw });
  };
  mutate('u128 too large', (d) => { d.message.n4 = hex(2n ** 128n); });
  mutate('u128 negative', (d) => { d.message.n4 = '-1'; });
  mutate('i128 too small', (d) => { d.message.n5 = (-(2n ** 127n) - 1n).toString(); });
  mutate('felt too large', (d) => { d.message.n0 = hex(P); });
  mutate('shortstring too long', (d) => { d.message.n9 = 'x'.repeat(32); });
  mutate('bool as number', (d) => { d.message.n1 = 1; });
  mutate('missing member', (d) => { delete d.message.n3; });
  mutate('address too large', (d) => { d.message.n6 = hex(P + 5n); });
  mutate('unknown type', (d) => { d.types.Example.push({ name: 'n10', type: 'u8' }); d.message.n10 = 1; });
  mutate('preset redeclared', (d) => { d.types.u256 = [{ name: 'low', type: 'u128' }]; });
  mutate('revision 0 domain', (d) => { d.domain.revision = '0'; });
  mutate('non-ascii string', (d) => { d.message.n2 = 'héllo'; });
  return cases;
});

out.timingsMs = timings;
writeFileSync(outputPath, JSON.stringify(out, null, 1));
const total = Object.entries(out)
  .filter(([, v]) => Array.isArray(v))
  .map(([k, v]) => `${k}=${v.length}`)
  .join(' ');
console.log(`starknet.js ${out.starknetVersion}: wrote ${outputPath}: ${total}`);
