// The independent JOSE peer for varco's JOSE tests: npm `jose` (panva), from web/node_modules.
//
//   node peer.mjs make ISSUER AUDIENCE   prints keys and tokens as JSON, each token with the
//                                        reason varco must give ("ok" when it must accept it)
//   node peer.mjs federation             prints a trust anchor, an intermediate and an OpenID
//                                        Provider of an OpenID Federation, as trust chains with
//                                        the verdict varco must give (and the resolved metadata)
//   node peer.mjs id-tokens ISS AUD      prints ID Tokens (nonce "n-0S6", SPID acr levels) with the
//                                        verdict varco must give when it asks for SpidL2
//   node peer.mjs userinfo ISS AUD SUB   prints UserInfo responses (a JWS in a JWE) with the
//                                        verdict varco must give
//   node peer.mjs oidc FILE              checks what varco sends a provider (FILE: {jwks, url,
//                                        client_assertion, ...}) and prints what it found
//   node peer.mjs enroll FILE            as a trust anchor: checks the Entity Configuration of FILE
//                                        ({entity_configuration}) and prints a chain for it
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

// An OpenID Federation: trust anchor (TA) > intermediate (SA) > OpenID Provider (OP), statements
// signed with jose's SignJWT as entity-statement+jwt.
async function federation() {
  const ta = 'https://ta.fed.test', sa = 'https://sa.fed.test', op = 'https://op.fed.test';
  const markType = `${ta}/openid_provider/public`;
  const keys = { ta: rsaPair(), sa: rsaPair(), op: keyPair('ec', { namedCurve: 'P-256' }), rogue: rsaPair() };
  const jwks = (name, kid = name) => ({ keys: [{ ...keys[name].jwk, kid }] });
  const t = now();
  const statement = (iss, sub, signer, claims, kid = signer, typ = 'entity-statement+jwt') =>
    new jose.SignJWT({ iss, sub, iat: t - 10, exp: t + 3600, ...claims })
      .setProtectedHeader({ alg: signer === 'op' ? 'ES256' : 'RS256', kid, typ })
      .sign(keys[signer].privateKey);
  const opMetadata = {
    issuer: op,
    authorization_endpoint: `${op}/authorize`,
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
    id_token_signing_alg_values_supported: ['RS256', 'RS512', 'ES256'],
    acr_values_supported: ['https://www.spid.gov.it/SpidL1', 'https://www.spid.gov.it/SpidL2'],
  };
  const mark = (signer, sub = op) => new jose.SignJWT({ iss: ta, sub, trust_mark_type: markType, iat: t, exp: t + 3600 })
    .setProtectedHeader({ alg: 'RS256', kid: signer, typ: 'trust-mark+jwt' }).sign(keys[signer].privateKey);
  const leaf = async (extra = {}) => statement(op, op, 'op', {
    jwks: jwks('op'), authority_hints: [sa], metadata: { openid_provider: opMetadata },
    trust_marks: [{ trust_mark_type: markType, trust_mark: await mark('ta') }], ...extra });
  const saAboutOp = (extra = {}, signer = 'sa') => statement(sa, op, signer, {
    jwks: jwks('op'),
    metadata_policy: { openid_provider: { token_endpoint_auth_methods_supported: { subset_of: ['private_key_jwt'] } } },
    ...extra }, 'sa');
  const taPolicy = { openid_provider: {
    id_token_signing_alg_values_supported: { subset_of: ['RS256', 'RS512'] },
    contacts: { add: ['ops@ta.fed.test'] },
    token_endpoint_auth_methods_supported: { essential: true } } };
  const taAboutSa = (extra = {}, sub = sa) => statement(ta, sub, 'ta', { jwks: jwks('sa'), metadata_policy: taPolicy, ...extra });
  const taConfig = (signer = 'ta') => statement(ta, ta, signer, {
    jwks: jwks('ta'), trust_mark_issuers: { [markType]: [ta] } }, 'ta');
  const chain = async (overrides = {}) => [
    overrides.leaf ?? await leaf(), overrides.sa ?? await saAboutOp(), overrides.ta ?? await taAboutSa(),
    overrides.config ?? await taConfig()];
  const cases = [
    ['valid', await chain(), 'ok'],
    ['broken_signature', await chain({ sa: await saAboutOp({}, 'rogue') }), 'statement_signature'],
    ['expired_statement', await chain({ sa: await saAboutOp({ exp: t - 3600 }) }), 'statement_expired'],
    ['untrusted_anchor', await chain({ config: await taConfig('rogue') }), 'chain_untrusted'],
    ['issuer_is_not_next_subject', await chain({ ta: await taAboutSa({}, 'https://other.fed.test') }), 'chain_broken'],
    ['leaf_does_not_name_its_superior', await chain({ leaf: await leaf({ authority_hints: [] }) }), 'chain_broken'],
    ['wrong_statement_type', await chain({ sa: await statement(sa, op, 'sa', { jwks: jwks('op') }, 'sa', 'JWT') }), 'statement_malformed'],
    ['policy_violation', await chain({ ta: await taAboutSa({ metadata_policy: { openid_provider: {
      acr_values_supported: { superset_of: ['https://www.spid.gov.it/SpidL3'] } } } }) }), 'policy_violation'],
    ['policy_conflict', await chain({ ta: await taAboutSa({ metadata_policy: { openid_provider: {
      token_endpoint_auth_methods_supported: { one_of: ['client_secret_basic'] } } } }),
      sa: await saAboutOp({ metadata_policy: { openid_provider: { token_endpoint_auth_methods_supported: { one_of: ['private_key_jwt'] } } } }) }), 'policy_invalid'],
    ['unknown_critical_operator', await chain({ ta: await taAboutSa({ metadata_policy_crit: ['regexp'], metadata_policy: { openid_provider: {
      issuer: { regexp: '^https://' } } } }) }), 'policy_invalid'],
    ['no_trust_mark', await chain({ leaf: await leaf({ trust_marks: [] }) }), 'trust_mark_missing'],
    ['forged_trust_mark', await chain({ leaf: await leaf({ trust_marks: [{ trust_mark_type: markType, trust_mark: await mark('rogue') }] }) }), 'trust_mark_missing'],
    ['one_intermediate_allowed', await chain({ ta: await taAboutSa({ constraints: { max_path_length: 1 } }) }), 'ok'],
    ['no_intermediate_allowed', await chain({ ta: await taAboutSa({ constraints: { max_path_length: 0 } }) }), 'constraint_violation'],
    ['names_permitted', await chain({ ta: await taAboutSa({ constraints: { naming_constraints: { permitted: ['.fed.test'] } } }) }), 'ok'],
    ['name_not_permitted', await chain({ ta: await taAboutSa({ constraints: { naming_constraints: { permitted: ['sa.fed.test'] } } }) }), 'constraint_violation'],
    ['name_excluded', await chain({ sa: await saAboutOp({ constraints: { naming_constraints: { excluded: ['op.fed.test'] } } }) }), 'constraint_violation'],
    ['entity_type_not_allowed', await chain({ ta: await taAboutSa({ constraints: { allowed_entity_types: ['openid_relying_party'] } }) }), 'metadata_missing'],
    ['trust_mark_for_another_entity', await chain({ leaf: await leaf({ trust_marks: [{ trust_mark_type: markType, trust_mark: await mark('ta', sa) }] }) }), 'trust_mark_missing'],
  ].map(([name, statements, expect]) => ({ name, chain: statements, expect }));
  return { anchor: { entity_id: ta, jwks: jwks('ta') }, trust_mark_type: markType, cases };
}

async function idTokens(issuer, audience) {
  const op = rsaPair();
  const claims = (extra = {}) => ({ iss: issuer, aud: audience, sub: 'TINIT-RSSMRA80A01H501U',
    nonce: 'n-0S6', acr: 'https://www.spid.gov.it/SpidL2', iat: now(), exp: now() + 300, ...extra });
  const sign = (payload, header = { alg: 'RS256', kid: 'op-1' }) =>
    new jose.SignJWT(payload).setProtectedHeader(header).sign(op.privateKey);
  const tokens = [
    ['level_2', await sign(claims()), 'ok'],
    ['level_3', await sign(claims({ acr: 'https://www.spid.gov.it/SpidL3' })), 'ok'],
    ['level_1', await sign(claims({ acr: 'https://www.spid.gov.it/SpidL1' })), 'acr_insufficient'],
    ['unknown_level', await sign(claims({ acr: 'urn:example:gold' })), 'acr_insufficient'],
    ['no_acr', await sign(claims({ acr: undefined })), 'acr_insufficient'],
    ['nonce_replayed_from_another_login', await sign(claims({ nonce: 'n-other' })), 'nonce_mismatch'],
    ['no_nonce', await sign(claims({ nonce: undefined })), 'nonce_mismatch'],
    ['no_sub', await sign(claims({ sub: undefined })), 'subject_missing'],
    ['mix_up_other_issuer', await sign(claims({ iss: 'https://evil.example' })), 'issuer_mismatch'],
    ['for_another_client', await sign(claims({ aud: 'https://other-rp.example' })), 'audience_mismatch'],
    ['expired', await sign(claims({ iat: now() - 7200, exp: now() - 3600 })), 'expired'],
    ['rs512_not_allowed', await sign(claims(), { alg: 'RS512', kid: 'op-1' }), 'alg_forbidden'],
  ].map(([name, token, expect]) => ({ name, token, expect }));
  return { jwks: { keys: [{ ...op.jwk, kid: 'op-1', use: 'sig' }] }, tokens };
}

async function userinfo(issuer, audience, subject) {
  const op = rsaPair();
  const rogue = rsaPair();
  const enc = rsaPair();
  const encOther = rsaPair();
  const claims = (extra = {}) => ({ iss: issuer, aud: audience, sub: subject,
    'https://attributes.eid.gov.it/fiscal_number': 'TINIT-RSSMRA80A01H501U',
    given_name: 'Mario', family_name: 'Rossi', ...extra });
  const jws = (payload, key = op.privateKey) =>
    new jose.SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'op-1' }).sign(key);
  const jwe = (inner, key = enc.publicKey) => new jose.CompactEncrypt(new TextEncoder().encode(inner))
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256CBC-HS512', kid: 'enc-1', cty: 'JWT' }).encrypt(key);
  const none = `${b64(JSON.stringify({ alg: 'none', kid: 'op-1' }))}.${b64(JSON.stringify(claims()))}.`;
  const cases = [
    ['encrypted_and_signed', await jwe(await jws(claims())), 'ok'],
    ['audience_as_array', await jwe(await jws(claims({ aud: [audience] }))), 'ok'],
    ['signed_only', await jws(claims()), 'request_invalid'],
    ['another_subject', await jwe(await jws(claims({ sub: 'someone-else' }))), 'subject_missing'],
    ['another_issuer', await jwe(await jws(claims({ iss: 'https://evil.example' }))), 'issuer_mismatch'],
    ['another_audience', await jwe(await jws(claims({ aud: 'https://other-rp.example' }))), 'audience_mismatch'],
    ['signed_by_another_key', await jwe(await jws(claims(), rogue.privateKey)), 'signature_invalid'],
    ['encrypted_for_another_key', await jwe(await jws(claims()), encOther.publicKey), 'decryption_failed'],
    ['alg_none_inside', await jwe(none), 'alg_none'],
  ].map(([name, token, expect]) => ({ name, token, expect }));
  return { jwks: { keys: [{ ...op.jwk, kid: 'op-1', use: 'sig' }] },
    enc_key: enc.privateKey.export({ type: 'pkcs8', format: 'pem' }), cases };
}

// What varco sends a provider, checked as the provider would.
async function oidc(file) {
  const input = JSON.parse(fs.readFileSync(file, 'utf8'));
  const keys = jose.createLocalJWKSet(input.jwks);
  const out = {};
  const url = new URL(input.url);
  const query = Object.fromEntries(url.searchParams);
  try {
    const { payload, protectedHeader } = await jose.jwtVerify(query.request, keys,
      { issuer: input.client_id, audience: input.issuer, algorithms: ['RS256', 'ES256'] });
    out.request_object = 'ok';
    out.request_object_alg = protectedHeader.alg;
    // Every query parameter but `request` is in the Request Object with the same value.
    out.query_matches_request_object = Object.entries(query).filter(([k]) => k !== 'request')
      .every(([k, v]) => (typeof payload[k] === 'object' ? JSON.stringify(payload[k]) === JSON.stringify(JSON.parse(v)) : String(payload[k]) === v));
    out.request_object_claims = payload;
  } catch (e) {
    out.request_object = e.code || String(e);
  }
  out.query = query;
  out.endpoint = `${url.origin}${url.pathname}`;
  out.pkce_s256 = b64(crypto.createHash('sha256').update(input.code_verifier).digest()) === query.code_challenge;
  try {
    const { payload } = await jose.jwtVerify(input.client_assertion, keys,
      { issuer: input.client_id, subject: input.client_id, audience: input.token_endpoint });
    out.client_assertion = payload.jti && payload.exp > payload.iat ? 'ok' : 'missing jti or exp';
  } catch (e) {
    out.client_assertion = e.code || String(e);
  }
  return out;
}

// A trust anchor enrolling varco: the Entity Configuration is checked as self-signed with a key
// of its own jwks, then the anchor issues its statement about varco.
async function enroll(file) {
  const { entity_configuration: ec } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const claims = jose.decodeJwt(ec);
  const out = {};
  try {
    const { protectedHeader } = await jose.jwtVerify(ec, jose.createLocalJWKSet(claims.jwks),
      { issuer: claims.sub, subject: claims.sub, typ: 'entity-statement+jwt' });
    out.verified = 'ok';
    out.alg = protectedHeader.alg;
  } catch (e) {
    out.verified = e.code || String(e);
  }
  const ta = 'https://ta.fed.test';
  const taKey = rsaPair();
  const taJwks = { keys: [{ ...taKey.jwk, kid: 'ta' }] };
  const t = now();
  const sign = (payload) => new jose.SignJWT({ iat: t - 10, exp: t + 3600, ...payload })
    .setProtectedHeader({ alg: 'RS256', kid: 'ta', typ: 'entity-statement+jwt' }).sign(taKey.privateKey);
  out.chain = [ec,
    await sign({ iss: ta, sub: claims.sub, jwks: claims.jwks, metadata_policy: { openid_relying_party: {
      grant_types: { subset_of: ['authorization_code', 'refresh_token'] },
      client_registration_types: { value: ['automatic'] } } } }),
    await sign({ iss: ta, sub: ta, jwks: taJwks })];
  out.anchor = { entity_id: ta, jwks: taJwks };
  out.claims = claims;
  return out;
}

const [mode, ...args] = process.argv.slice(2);
const result = mode === 'make' ? await make(args[0], args[1])
  : mode === 'federation' ? await federation()
  : mode === 'id-tokens' ? await idTokens(args[0], args[1])
  : mode === 'userinfo' ? await userinfo(args[0], args[1], args[2])
  : mode === 'oidc' ? await oidc(args[0])
  : mode === 'enroll' ? await enroll(args[0]) : await verify(args[0]);
process.stdout.write(JSON.stringify(result));
