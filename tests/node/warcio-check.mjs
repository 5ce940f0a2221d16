// An independent reader of provcheck's WARC files: warcio (the Webrecorder project's parser) reads every
// record of the files given, recomputes each WARC-Block-Digest and WARC-Payload-Digest, resolves every
// revisit to the record it refers to, and prints one JSON summary on stdout (with each response's payload
// length by target URI, the last one for a URI stored twice).
import fs from 'node:fs';
import crypto from 'node:crypto';
import { WARCParser } from 'warcio';

const sha256 = (bytes) => 'sha256:' + crypto.createHash('sha256').update(bytes).digest('hex');

function indexOfBlankLine(bytes) {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) return i + 4;
  }
  return -1;
}

const summary = {
  files: 0, records: 0, types: {}, block_mismatch: [], payload_mismatch: [], revisits: [], payload_bytes: {},
};
const payloadById = new Map();
const revisits = [];
for (const file of process.argv.slice(2)) {
  summary.files += 1;
  const parser = new WARCParser(fs.createReadStream(file), { parseHttp: false });
  for await (const record of parser) {
    const block = await record.readFully(false);
    const type = record.warcType;
    const id = record.warcHeader('WARC-Record-ID');
    summary.records += 1;
    summary.types[type] = (summary.types[type] || 0) + 1;
    if (record.warcBlockDigest && sha256(block) !== record.warcBlockDigest) summary.block_mismatch.push(id);
    if (type === 'response' || type === 'resource') {
      const isHttp = (record.warcContentType || '').startsWith('application/http');
      const at = isHttp ? indexOfBlankLine(block) : 0;
      const payload = at < 0 ? new Uint8Array() : block.subarray(at);
      if (record.warcPayloadDigest && sha256(payload) !== record.warcPayloadDigest) summary.payload_mismatch.push(id);
      payloadById.set(id, record.warcPayloadDigest);
      summary.payload_bytes[record.warcTargetURI] = payload.length;
    } else if (type === 'revisit') {
      revisits.push({
        id,
        profile: record.warcHeader('WARC-Profile'),
        refers_to: record.warcHeader('WARC-Refers-To'),
        refers_to_target_uri: record.warcRefersToTargetURI,
        refers_to_date: record.warcRefersToDate,
        payload_digest: record.warcPayloadDigest,
        status_line: new TextDecoder().decode(block.subarray(0, Math.max(0, block.indexOf(13)))),
      });
    }
  }
}
for (const r of revisits) {
  const original = payloadById.get(r.refers_to);
  summary.revisits.push({ ...r, resolved: original !== undefined, same_payload: original === r.payload_digest });
}
process.stdout.write(JSON.stringify(summary) + '\n');
