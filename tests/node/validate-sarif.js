// Validates SARIF files against the SARIF 2.1.0 JSON schema kept beside this script (a draft-04 schema,
// hence ajv-draft-04). Usage: node validate-sarif.js FILE...; exit 0 when every file is valid, 1 otherwise,
// with each violation on stderr. The schema's "language" pattern has a stray ']' that Unicode-mode regular
// expressions reject, so patterns are compiled without the u flag.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

let ok = true;
for (const file of process.argv.slice(2)) {
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (validate(data)) {
    console.log(`${file}: valid SARIF 2.1.0`);
  } else {
    ok = false;
    for (const e of validate.errors) console.error(`${file}: ${e.instancePath || '/'} ${e.message}`);
  }
}
process.exit(ok ? 0 : 1);
