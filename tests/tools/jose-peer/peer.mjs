// The independent JOSE peer for varco's JOSE tests: npm `jose` (panva), from web/node_modules.
//
//   node peer.mjs make ISSUER AUDIENCE   prints keys and tokens as JSON, each token with the
//                                        reason varco must give ("ok" when it must accept it)
//   node peer.mjs verify FILE            verifies the tokens of FILE ({jwks, issuer, audience,
//                                        tokens: [{name, token}]}) and prints {name: "ok" | error}
//
// Keys are made afresh on every run. The hostile tokens that no honest library would produce
// (alg none, a "crit" header, a bad ECDSA size) are put together by hand from node:crypto.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.join(here, '..', '..', '..', 'web');
const jose = await import(pathToFileURL(createRequire(path.join(web, 'package.json')).resolve('jose')));

const b64 = (data) => Buffer.from(data).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

// node:crypto KeyObjects, which jose takes for any algorithm their type allows.
function keyPair(type, options) {
  const pair = crypto.generateKeyPairSync(type, options);
  return { ...pair, jwk: pair.publicKey.export({ format: 'jwk' }) };
}
const rsaPair = (bits = 2048) => keyPair('rsa', { modulusLength: bits });

async function make(issuer, audience) {
  const rs = rsaPair();
  const rsOther = rsaPair();
  const ec = keyPair('ec', { namedCurve: 'P-256' });
  const rsSmall = rsaPair(1024);
  const enc = rsaPair();
  const encOther = rsaPair();
  const jwks = { keys: [
    { ...rs.jwk, kid: 'rs-1', use: 'sig' },
    { ...ec.jwk, kid: 'ec-1', use: 'sig' },
    { ...rsOther.jwk, kid: 'rs-2', use: 'sig' },
  ] };
  const claims = (extra = {}) => ({ iss: issuer, aud: audience, sub: 'user-1', nonce: 'n-0S6',
    iat: now(), exp: now() + 300, ...extra });
  const sign = (payload, key, header) =>
    new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader(header).sign(key);
  // A token signed by node:crypto over a header jose would refuse to write.
  const rawSigned = (header, payload, key, algorithm = 'sha256') => {
    const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
    return `${input}.${b64(crypto.sign(algorithm, Buffer.from(input), key))}`;
  };
  const publicPem = rs.publicKey.export({ type: 'spki', format: 'pem' });
  const good = await sign(claims(), rs.privateKey, { alg: 'RS256', kid: 'rs-1', typ: 'JWT' });
  const [h, p, s] = good.split('.');

  const tokens = [
    ['rs256', good, 'ok'],
    ['rs512', await sign(claims(), rs.privateKey, { alg: 'RS512', kid: 'rs-1' }), 'ok'],
    ['ps256', await sign(claims(), rs.privateKey, { alg: 'PS256', kid: 'rs-1' }), 'ok'],
    ['es256', await sign(claims(), ec.privateKey, { alg: 'ES256', kid: 'ec-1' }), 'ok'],
    ['alg_none', `${b64(JSON.stringify({ alg: 'none', kid: 'rs-1' }))}.${p}.`, 'alg_none'],
    ['hmac_with_public_key', await sign(claims(), new TextEncoder().encode(publicPem), { alg: 'HS256', kid: 'rs-1' }), 'alg_hmac'],
    ['unknown_kid', await sign(claims(), rs.privateKey, { alg: 'RS256', kid: 'rs-9' }), 'kid_unknown'],
    ['wrong_kid', await sign(claims(), rsOther.privateKey, { alg: 'RS256', kid: 'rs-1' }), 'signature_invalid'],
    ['no_kid', await sign(claims(), rs.privateKey, { alg: 'RS256' }), 'kid_missing'],
    ['es256_on_rsa_kid', await sign(claims(), ec.privateKey, { alg: 'ES256', kid: 'rs-1' }), 'key_mismatch'],
    ['ecdsa_der_signature', rawSigned({ alg: 'ES256', kid: 'ec-1' }, claims(), ec.privateKey), 'signature_invalid'],
    ['crit_header', rawSigned({ alg: 'RS256', kid: 'rs-1', crit: ['exp'], exp: 1 }, claims(), rs.privateKey), 'crit_unsupported'],
    ['tampered_payload', `${h}.${b64(JSON.stringify(claims({ sub: 'admin' })))}.${s}`, 'signature_invalid'],
    ['padded_signature', `${h}.${p}.${s}=`, 'bad_encoding'],
    ['oversized', await sign(claims({ pad: 'x'.repeat(70000) }), rs.privateKey, { alg: 'RS256', kid: 'rs-1' }), 'token_too_large'],
    ['expired', await sign(claims({ iat: now() - 7200, exp: now() - 3600 }), rs.privateKey, { alg: 'RS256', kid: 'rs-1' }), 'expired'],
    ['not_yet_valid', await sign(claims({ nbf: now() + 3600 }), rs.privateKey, { alg: 'RS256', kid: 'rs-1' }), 'not_yet_valid'],
    ['issued_in_future', await sign(claims({ iat: now() + 3600, exp: now() + 7200 }), rs.privateKey, { alg: 'RS256', kid: 'rs-1' }), 'issued_in_future'],
    ['wrong_issuer', await sign(claims({ iss: 'https://op.example.org' }), rs.privateKey, { alg: 'RS256', kid: 'rs-1' }), 'issuer_mismatch'],
    ['wrong_audience', await sign(claims({ aud: 'https://rp.example.org' }), rs.privateKey, { alg: 'RS256', kid: 'rs-1' }), 'audience_mismatch'],
    ['several_audiences_no_azp', await sign(claims({ aud: [audience, 'https://rp.example.org'] }), rs.privateKey, { alg: 'RS256', kid: 'rs-1' }), 'audience_mismatch'],
    ['several_audiences_azp', await sign(claims({ aud: [audience, 'https://rp.example.org'], azp: audience }), rs.privateKey, { alg: 'RS256', kid: 'rs-1' }), 'ok'],
    ['no_exp', await sign(claims({ exp: undefined }), rs.privateKey, { alg: 'RS256', kid: 'rs-1' }), 'claim_missing'],
    ['weak_key', rawSigned({ alg: 'RS256', kid: 'rs-1' }, claims(), rsSmall.privateKey), 'signature_invalid'],
  ].map(([name, token, expect]) => ({ name, token, expect }));

  // UserInfo as SPID/CIE send it: a signed JWT inside a JWE for the relying party's key.
  const encrypt = (inner, alg, encName, key, kid = 'enc-1') =>
    new jose.CompactEncrypt(new TextEncoder().encode(inner))
      .setProtectedHeader({ alg, enc: encName, kid, cty: 'JWT' }).encrypt(key);
  const secret = crypto.randomBytes(32);
  const encrypted = [
    ['oaep_a128cbc', await encrypt(good, 'RSA-OAEP', 'A128CBC-HS256', enc.publicKey), 'ok'],
    ['oaep256_a256cbc', await encrypt(good, 'RSA-OAEP-256', 'A256CBC-HS512', enc.publicKey), 'ok'],
    ['oaep256_a256gcm', await encrypt(good, 'RSA-OAEP-256', 'A256GCM', enc.publicKey), 'ok'],
    ['oaep_a128gcm', await encrypt(good, 'RSA-OAEP', 'A128GCM', enc.publicKey), 'ok'],
    ['no_kid', await new jose.CompactEncrypt(new TextEncoder().encode(good)).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A128CBC-HS256' }).encrypt(enc.publicKey), 'ok'],
    ['for_another_key', await encrypt(good, 'RSA-OAEP-256', 'A256CBC-HS512', encOther.publicKey), 'decryption_failed'],
    ['unknown_kid', await encrypt(good, 'RSA-OAEP-256', 'A256CBC-HS512', enc.publicKey, 'enc-9'), 'kid_unknown'],
    ['dir', await encrypt(good, 'dir', 'A128CBC-HS256', secret), 'alg_forbidden'],
    ['a192gcm', await encrypt(good, 'RSA-OAEP-256', 'A192GCM', enc.publicKey), 'enc_forbidden'],
  ];
  const tamper = (token, part) => {
    const parts = token.split('.');
    const bytes = Buffer.from(parts[part], 'base64url');
    bytes[0] ^= 1;
    parts[part] = b64(bytes);
    return parts.join('.');
  };
  // jose no longer writes RSA1_5 (Bleichenbacher's oracle): the header alone says it.
  const withHeader = (header, token) => [b64(JSON.stringify(header)), ...token.split('.').slice(1)].join('.');
  encrypted.push(['rsa1_5', withHeader({ alg: 'RSA1_5', enc: 'A128CBC-HS256', kid: 'enc-1' }, encrypted[0][1]), 'alg_forbidden']);
  encrypted.push(['zip', withHeader({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256', kid: 'enc-1', zip: 'DEF' }, encrypted[0][1]), 'zip_forbidden']);
  encrypted.push(['tampered_ciphertext', tamper(encrypted[0][1], 3), 'decryption_failed']);
  encrypted.push(['tampered_tag', tamper(encrypted[2][1], 4), 'decryption_failed']);
  encrypted.push(['tampered_header', withHeader({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256', kid: 'enc-1', x: 1 }, encrypted[0][1]), 'decryption_failed']);

  const pem = (key) => key.export({ type: 'pkcs8', format: 'pem' });
  return {
    issuer, audience, jwks,
    weak_jwk: { ...rsSmall.jwk, kid: 'weak' },
    enc_key: pem(enc.privateKey),
    tokens,
    encrypted: encrypted.map(([name, token, expect]) => ({ name, token, expect })),
  };
}

async function verify(file) {
  const input = JSON.parse(fs.readFileSync(file, 'utf8'));
  const keys = jose.createLocalJWKSet(input.jwks);
  const out = {};
  for (const { name, token } of input.tokens) {
    try {
      await jose.jwtVerify(token, keys, { issuer: input.issuer, audience: input.audience });
      out[name] = 'ok';
    } catch (e) {
      out[name] = e.code || String(e);
    }
  }
  return out;
}

const [mode, ...args] = process.argv.slice(2);
const result = mode === 'make' ? await make(args[0], args[1]) : await verify(args[0]);
process.stdout.write(JSON.stringify(result));
