// Checks a WACZ's archive signature the way ReplayWeb.page (wabac.js) does for an anonymous signature: the
// signedData's publicKey imported as an ECDSA P-384 SubjectPublicKeyInfo through WebCrypto, and its signature
// (r‖s) verified with SHA-256 over the UTF-8 text of signedData.hash. Reads datapackage-digest.json as given
// (a path), prints {"signed", "valid", "same_hash"} as JSON. No dependencies: Node's own WebCrypto.
import fs from 'node:fs';
import { webcrypto } from 'node:crypto';

const digest = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const sd = digest.signedData;
if (!sd) {
  process.stdout.write(JSON.stringify({ signed: false }) + '\n');
  process.exit(0);
}
let valid = false;
try {
  const key = await webcrypto.subtle.importKey('spki', Buffer.from(sd.publicKey, 'base64'),
    { name: 'ECDSA', namedCurve: 'P-384' }, true, ['verify']);
  valid = await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key,
    Buffer.from(sd.signature, 'base64'), new TextEncoder().encode(sd.hash));
} catch (e) {
  valid = false;
}
process.stdout.write(JSON.stringify({ signed: true, valid, same_hash: sd.hash === digest.hash }) + '\n');
